package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem biolatency -type biolatency_key -type biolatency_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Biolatency biolatency.bpf.c
