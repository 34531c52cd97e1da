// Package filelife is the BPF side of the filelife applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package filelife

//go:generate go tool bpf2go -go-package filelife -output-stem filelife -type filelife_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Filelife filelife.bpf.c
