// Package swapin is the BPF side of the swapin applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package swapin

//go:generate go tool bpf2go -go-package swapin -output-stem swapin -type swapin_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Swapin swapin.bpf.c
