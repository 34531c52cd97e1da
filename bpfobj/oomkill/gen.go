// Package oomkill is the BPF side of the oomkill applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package oomkill

//go:generate go tool bpf2go -go-package oomkill -output-stem oomkill -type oom_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Oomkill oomkill.bpf.c
