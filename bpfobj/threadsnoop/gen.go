// Package threadsnoop is the BPF side of the threadsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package threadsnoop

//go:generate go tool bpf2go -go-package threadsnoop -output-stem threadsnoop -type thread_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Threadsnoop threadsnoop.bpf.c
