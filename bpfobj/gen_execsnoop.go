package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem execsnoop -type exec_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Execsnoop execsnoop.bpf.c
