// Package memleak is the BPF side of the memleak applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package memleak

//go:generate go tool bpf2go -go-package memleak -output-stem memleak -type memleak_alloc -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Memleak memleak.bpf.c
