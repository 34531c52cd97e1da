// Package cachestat is the BPF side of the cachestat applet: its C source, its counter
// slots header and the objects and loader bpf2go generated from them.
package cachestat

//go:generate go tool bpf2go -go-package cachestat -output-stem cachestat -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Cachestat cachestat.bpf.c
