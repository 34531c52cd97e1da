// Package syscount is the BPF side of the syscount applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package syscount

//go:generate go tool bpf2go -go-package syscount -output-stem syscount -type syscount_val -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Syscount syscount.bpf.c
