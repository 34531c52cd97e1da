package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem tcpaccept -type tcpaccept_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpaccept tcpaccept.bpf.c
