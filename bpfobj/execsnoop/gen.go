// Package execsnoop is the BPF side of the execsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package execsnoop

//go:generate go tool bpf2go -go-package execsnoop -output-stem execsnoop -type exec_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Execsnoop execsnoop.bpf.c
