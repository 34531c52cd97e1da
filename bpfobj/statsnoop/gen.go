// Package statsnoop is the BPF side of the statsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package statsnoop

//go:generate go tool bpf2go -go-package statsnoop -output-stem statsnoop -type stat_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Statsnoop statsnoop.bpf.c
