// Package vfsstat is the BPF side of the vfsstat applet: its C source, its counter
// slots header and the objects and loader bpf2go generated from them.
package vfsstat

//go:generate go tool bpf2go -go-package vfsstat -output-stem vfsstat -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Vfsstat vfsstat.bpf.c
