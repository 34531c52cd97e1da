// Package pidpersec is the BPF side of the pidpersec applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package pidpersec

//go:generate go tool bpf2go -go-package pidpersec -output-stem pidpersec -type pidpersec_val -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Pidpersec pidpersec.bpf.c
