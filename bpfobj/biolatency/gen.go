// Package biolatency is the BPF side of the biolatency applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package biolatency

//go:generate go tool bpf2go -go-package biolatency -output-stem biolatency -type biolatency_key -type biolatency_hist -type biolatency_extra -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Biolatency biolatency.bpf.c
