// Package vfscount is the BPF side of the vfscount applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package vfscount

//go:generate go tool bpf2go -go-package vfscount -output-stem vfscount -type vfscount_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Vfscount vfscount.bpf.c
