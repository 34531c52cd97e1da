// Package solisten is the BPF side of the solisten applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package solisten

//go:generate go tool bpf2go -go-package solisten -output-stem solisten -type solisten_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Solisten solisten.bpf.c
