// Package tcpstates is the BPF side of the tcpstates applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcpstates

//go:generate go tool bpf2go -go-package tcpstates -output-stem tcpstates -type tcpstates_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpstates tcpstates.bpf.c
