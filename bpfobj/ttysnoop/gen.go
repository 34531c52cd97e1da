// Package ttysnoop is the BPF side of the ttysnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package ttysnoop

//go:generate go tool bpf2go -go-package ttysnoop -output-stem ttysnoop -type tty_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Ttysnoop ttysnoop.bpf.c
