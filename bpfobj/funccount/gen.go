// Package funccount is the BPF side of the funccount applet: its C source
// and the objects and loader bpf2go generated from it.
package funccount

//go:generate go tool bpf2go -go-package funccount -output-stem funccount -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Funccount funccount.bpf.c
