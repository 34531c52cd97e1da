// Package cpufreq is the BPF side of the cpufreq applet: its C source, its
// histogram layout header and the objects and loader bpf2go generated from
// them.
package cpufreq

//go:generate go tool bpf2go -go-package cpufreq -output-stem cpufreq -type cpufreq_hist -type cpufreq_key -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Cpufreq cpufreq.bpf.c
