// Package setuids is the BPF side of the setuids applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package setuids

//go:generate go tool bpf2go -go-package setuids -output-stem setuids -type setid_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Setuids setuids.bpf.c
