// Package bashreadline is the BPF side of the bashreadline applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package bashreadline

//go:generate go tool bpf2go -go-package bashreadline -output-stem bashreadline -type line_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Bashreadline bashreadline.bpf.c
