// Package gethostlatency is the BPF side of the gethostlatency applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package gethostlatency

//go:generate go tool bpf2go -go-package gethostlatency -output-stem gethostlatency -type host_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Gethostlatency gethostlatency.bpf.c
