// Package biopattern is the BPF side of the biopattern applet: its C source, its map
// layout header and the objects and loader bpf2go generated from them.
package biopattern

//go:generate go tool bpf2go -go-package biopattern -output-stem biopattern -type biopattern_counter -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Biopattern biopattern.bpf.c
