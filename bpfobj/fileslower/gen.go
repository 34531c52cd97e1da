// Package fileslower is the BPF side of the fileslower applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package fileslower

//go:generate go tool bpf2go -go-package fileslower -output-stem fileslower -type fileslower_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Fileslower fileslower.bpf.c
