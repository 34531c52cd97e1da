// Package drsnoop is the BPF side of the drsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package drsnoop

//go:generate go tool bpf2go -go-package drsnoop -output-stem drsnoop -type reclaim_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Drsnoop drsnoop.bpf.c
