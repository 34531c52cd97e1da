// Package tcpdrop is the BPF side of the tcpdrop applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcpdrop

//go:generate go tool bpf2go -go-package tcpdrop -output-stem tcpdrop -type tcpdrop_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpdrop tcpdrop.bpf.c
