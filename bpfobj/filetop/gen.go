// Package filetop is the BPF side of the filetop applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package filetop

//go:generate go tool bpf2go -go-package filetop -output-stem filetop -type filetop_key -type filetop_val -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Filetop filetop.bpf.c
