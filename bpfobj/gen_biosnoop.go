package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem biosnoop -type biosnoop_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Biosnoop biosnoop.bpf.c
