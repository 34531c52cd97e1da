// Package mdflush is the BPF side of the mdflush applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package mdflush

//go:generate go tool bpf2go -go-package mdflush -output-stem mdflush -type mdflush_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Mdflush mdflush.bpf.c
