// Package biostacks is the BPF side of the biostacks applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package biostacks

//go:generate go tool bpf2go -go-package biostacks -output-stem biostacks -type biostacks_key -type biostacks_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Biostacks biostacks.bpf.c
