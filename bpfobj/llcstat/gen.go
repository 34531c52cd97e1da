// Package llcstat is the BPF side of the llcstat applet: its C source, its
// map layout header and the objects and loader bpf2go generated from them.
package llcstat

//go:generate go tool bpf2go -go-package llcstat -output-stem llcstat -type llcstat_key -type llcstat_value -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Llcstat llcstat.bpf.c
