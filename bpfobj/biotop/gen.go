// Package biotop is the BPF side of the biotop applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package biotop

//go:generate go tool bpf2go -go-package biotop -output-stem biotop -type biotop_key -type biotop_val -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Biotop biotop.bpf.c
