// Package runqslower is the BPF side of the runqslower applet: its C
// source, its event layout header and the objects and loader bpf2go
// generated from them.
package runqslower

//go:generate go tool bpf2go -go-package runqslower -output-stem runqslower -type runqslower_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Runqslower runqslower.bpf.c
