// Package sofdsnoop is the BPF side of the sofdsnoop applet: its C source, its layout
// header and the objects and loader bpf2go generated from them.
package sofdsnoop

//go:generate go tool bpf2go -go-package sofdsnoop -output-stem sofdsnoop -type sofdsnoop_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Sofdsnoop sofdsnoop.bpf.c
