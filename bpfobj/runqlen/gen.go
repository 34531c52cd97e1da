// Package runqlen is the BPF side of the runqlen applet: its C source, its
// histogram layout header and the objects and loader bpf2go generated from
// them.
package runqlen

//go:generate go tool bpf2go -go-package runqlen -output-stem runqlen -type runqlen_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Runqlen runqlen.bpf.c
