// Package tcpaccept is the BPF side of the tcpaccept applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcpaccept

//go:generate go tool bpf2go -go-package tcpaccept -output-stem tcpaccept -type tcpaccept_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpaccept tcpaccept.bpf.c
