// Package funcinterval is the BPF side of the funcinterval applet: its C
// source, its histogram layout header and the objects and loader bpf2go
// generated from them.
package funcinterval

//go:generate go tool bpf2go -go-package funcinterval -output-stem funcinterval -type funcint_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Funcinterval funcinterval.bpf.c
