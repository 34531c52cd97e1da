// Package offwaketime is the BPF side of the offwaketime applet: its C
// source, its count-map layout header and the objects and loader bpf2go
// generated from them.
package offwaketime

//go:generate go tool bpf2go -go-package offwaketime -output-stem offwaketime -type offwaketime_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Offwaketime offwaketime.bpf.c
