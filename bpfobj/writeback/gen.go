// Package writeback is the BPF side of the writeback applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package writeback

//go:generate go tool bpf2go -go-package writeback -output-stem writeback -type writeback_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Writeback writeback.bpf.c
