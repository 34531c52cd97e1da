// Package opensnoop is the BPF side of the opensnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package opensnoop

//go:generate go tool bpf2go -go-package opensnoop -output-stem opensnoop -type open_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Opensnoop opensnoop.bpf.c
