// Package biosnoop is the BPF side of the biosnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package biosnoop

//go:generate go tool bpf2go -go-package biosnoop -output-stem biosnoop -type biosnoop_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Biosnoop biosnoop.bpf.c
