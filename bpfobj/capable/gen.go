// Package capable is the BPF side of the capable applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package capable

//go:generate go tool bpf2go -go-package capable -output-stem capable -type cap_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Capable capable.bpf.c
