// Package offcputime is the BPF side of the offcputime applet: its C
// source, its header and the objects and loader bpf2go generated from
// them.
package offcputime

//go:generate go tool bpf2go -go-package offcputime -output-stem offcputime -type pb_stack_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Offcputime offcputime.bpf.c
