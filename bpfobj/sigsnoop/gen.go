// Package sigsnoop is the BPF side of the sigsnoop and killsnoop applets: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package sigsnoop

//go:generate go tool bpf2go -go-package sigsnoop -output-stem sigsnoop -type signal_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Sigsnoop sigsnoop.bpf.c
