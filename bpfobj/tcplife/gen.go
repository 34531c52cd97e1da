// Package tcplife is the BPF side of the tcplife applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcplife

//go:generate go tool bpf2go -go-package tcplife -output-stem tcplife -type tcplife_event -type tcplife_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcplife tcplife.bpf.c
