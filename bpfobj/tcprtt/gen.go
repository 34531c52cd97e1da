// Package tcprtt is the BPF side of the tcprtt applet: its C source, its layout
// header and the objects and loader bpf2go generated from them.
package tcprtt

//go:generate go tool bpf2go -go-package tcprtt -output-stem tcprtt -type tcprtt_key -type tcprtt_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcprtt tcprtt.bpf.c
