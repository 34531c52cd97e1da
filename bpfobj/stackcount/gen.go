// Package stackcount is the BPF side of the stackcount applet: its C
// source, its header and the objects and loader bpf2go generated from
// them.
package stackcount

//go:generate go tool bpf2go -go-package stackcount -output-stem stackcount -type pb_stack_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Stackcount stackcount.bpf.c
