// Package mountsnoop is the BPF side of the mountsnoop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package mountsnoop

//go:generate go tool bpf2go -go-package mountsnoop -output-stem mountsnoop -type mount_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Mountsnoop mountsnoop.bpf.c
