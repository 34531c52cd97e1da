// Package hardirqs is the BPF side of the hardirqs applet: its C source,
// its key layout header and the objects and loader bpf2go generated from
// them (the statistics layout is bpfobj/include/irqstat.h).
package hardirqs

//go:generate go tool bpf2go -go-package hardirqs -output-stem hardirqs -type irq_stat -type hardirq_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Hardirqs hardirqs.bpf.c
