// Package wakeuptime is the BPF side of the wakeuptime applet: its C
// source, its count-map layout header and the objects and loader bpf2go
// generated from them.
package wakeuptime

//go:generate go tool bpf2go -go-package wakeuptime -output-stem wakeuptime -type wakeuptime_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Wakeuptime wakeuptime.bpf.c
