// Package bindsnoop is the BPF side of the bindsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package bindsnoop

//go:generate go tool bpf2go -go-package bindsnoop -output-stem bindsnoop -type bindsnoop_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Bindsnoop bindsnoop.bpf.c
