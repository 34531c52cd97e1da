package bpfobj

//go:generate go tool bpf2go -go-package bpfobj -output-stem runqlat -type runqlat_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Runqlat runqlat.bpf.c
