// Package readahead is the BPF side of the readahead applet: its C source, its counter
// layout header and the objects and loader bpf2go generated from them.
package readahead

//go:generate go tool bpf2go -go-package readahead -output-stem readahead -type readahead_stats -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Readahead readahead.bpf.c
