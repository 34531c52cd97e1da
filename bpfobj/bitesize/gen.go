// Package bitesize is the BPF side of the bitesize applet: its C source, its histogram
// layout header and the objects and loader bpf2go generated from them.
package bitesize

//go:generate go tool bpf2go -go-package bitesize -output-stem bitesize -type bitesize_key -type bitesize_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Bitesize bitesize.bpf.c
