// Package exitsnoop is the BPF side of the exitsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package exitsnoop

//go:generate go tool bpf2go -go-package exitsnoop -output-stem exitsnoop -type exit_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Exitsnoop exitsnoop.bpf.c
