// Package slabratetop is the BPF side of the slabratetop applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package slabratetop

//go:generate go tool bpf2go -go-package slabratetop -output-stem slabratetop -type slabrate_key -type slabrate_val -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Slabratetop slabratetop.bpf.c
