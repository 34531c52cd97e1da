// Package softirqs is the BPF side of the softirqs applet: its C source and
// the objects and loader bpf2go generated from it (the per-vector
// statistics layout is bpfobj/include/irqstat.h).
package softirqs

//go:generate go tool bpf2go -go-package softirqs -output-stem softirqs -type irq_stat -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Softirqs softirqs.bpf.c
