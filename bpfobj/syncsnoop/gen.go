// Package syncsnoop is the BPF side of the syncsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package syncsnoop

//go:generate go tool bpf2go -go-package syncsnoop -output-stem syncsnoop -type sync_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Syncsnoop syncsnoop.bpf.c
