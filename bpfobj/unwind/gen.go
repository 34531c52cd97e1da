// Package unwind is the .eh_frame stack walker (include/unwind.bpf.h) as
// a subprogram for code generated at run time: trace links
// pb_unwind_ustack into the programs whose ustack it walks (applets/trace
// ustack.go), with the walker's maps. Tools written in C include the
// header instead.
package unwind

//go:generate go tool bpf2go -go-package unwind -output-stem unwind -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Unwind unwind.bpf.c
