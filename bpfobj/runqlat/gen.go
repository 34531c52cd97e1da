// Package runqlat is the BPF side of the runqlat applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package runqlat

//go:generate go tool bpf2go -go-package runqlat -output-stem runqlat -type runqlat_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Runqlat runqlat.bpf.c
