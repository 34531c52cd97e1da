// Package fsslower is the BPF side of the fsslower applet (and ext4slower, xfsslower,
// btrfsslower, nfsslower): its C source, its event layout header and the objects and
// loader bpf2go generated from them.
package fsslower

//go:generate go tool bpf2go -go-package fsslower -output-stem fsslower -type fsslower_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Fsslower fsslower.bpf.c
