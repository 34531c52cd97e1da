// Package argdist is the BPF side of the argdist applet: its C source, its
// layout header and the objects and loader bpf2go generated from them.
package argdist

//go:generate go tool bpf2go -go-package argdist -output-stem argdist -type argdist_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Argdist argdist.bpf.c
