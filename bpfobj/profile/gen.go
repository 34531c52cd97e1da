// Package profile is the BPF side of the profile applet: its C source, its
// count-map layout header and the objects and loader bpf2go generated
// from them.
package profile

//go:generate go tool bpf2go -go-package profile -output-stem profile -type pb_stack_key -type pb_unwind_proc -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Profile profile.bpf.c
