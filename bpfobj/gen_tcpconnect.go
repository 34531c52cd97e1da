package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem tcpconnect -type tcpconnect_event -type tcpconnect_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpconnect tcpconnect.bpf.c
