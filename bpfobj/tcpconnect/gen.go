// Package tcpconnect is the BPF side of the tcpconnect applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcpconnect

//go:generate go tool bpf2go -go-package tcpconnect -output-stem tcpconnect -type tcpconnect_event -type tcpconnect_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpconnect tcpconnect.bpf.c
