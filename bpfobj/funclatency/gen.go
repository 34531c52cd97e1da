// Package funclatency is the BPF side of the funclatency applet: its C
// source, its map layout header and the objects and loader bpf2go
// generated from them.
package funclatency

//go:generate go tool bpf2go -go-package funclatency -output-stem funclatency -type funclat_hist -type funclat_stack -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Funclatency funclatency.bpf.c
