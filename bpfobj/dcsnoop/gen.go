// Package dcsnoop is the BPF side of the dcsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package dcsnoop

//go:generate go tool bpf2go -go-package dcsnoop -output-stem dcsnoop -type dcsnoop_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Dcsnoop dcsnoop.bpf.c
