package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem opensnoop -type open_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Opensnoop opensnoop.bpf.c
