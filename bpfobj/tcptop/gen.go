// Package tcptop is the BPF side of the tcptop applet: its C source, its layout
// header and the objects and loader bpf2go generated from them.
package tcptop

//go:generate go tool bpf2go -go-package tcptop -output-stem tcptop -type tcptop_key -type tcptop_traffic -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcptop tcptop.bpf.c
