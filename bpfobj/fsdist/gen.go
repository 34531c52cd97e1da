// Package fsdist is the BPF side of the fsdist applet (and ext4dist, xfsdist,
// btrfsdist, nfsdist): its C source, its histogram layout header and the objects and
// loader bpf2go generated from them.
package fsdist

//go:generate go tool bpf2go -go-package fsdist -output-stem fsdist -type fsdist_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Fsdist fsdist.bpf.c
