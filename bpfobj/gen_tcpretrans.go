package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem tcpretrans -type retrans_event -type retrans_flow -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpretrans tcpretrans.bpf.c
