// Package cpudist is the BPF side of the cpudist applet: its C source, its
// histogram layout header and the objects and loader bpf2go generated from
// them.
package cpudist

//go:generate go tool bpf2go -go-package cpudist -output-stem cpudist -type cpudist_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Cpudist cpudist.bpf.c
