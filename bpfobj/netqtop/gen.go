// Package netqtop is the BPF side of the netqtop applet: its C source, its layout
// header and the objects and loader bpf2go generated from them.
package netqtop

//go:generate go tool bpf2go -go-package netqtop -output-stem netqtop -type netqtop_queue -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Netqtop netqtop.bpf.c
