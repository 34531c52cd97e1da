// Package funcslower is the BPF side of the funcslower applet: its C
// source, its event layout header and the objects and loader bpf2go
// generated from them.
package funcslower

//go:generate go tool bpf2go -go-package funcslower -output-stem funcslower -type funcslower_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Funcslower funcslower.bpf.c
