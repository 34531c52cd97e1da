// Package bpfobj holds probebox's BPF programs: the C sources (*.bpf.c),
// their shared headers under include/, and the objects and Go loaders that
// bpf2go generates from them. The generated files are committed so that a
// plain `go build` needs no clang; `make generate` rebuilds them.
package bpfobj

// Each tool has its own gen_<tool>.go holding its one //go:generate line,
// so tools never edit a shared file. -target bpfel,bpfeb builds both
// endiannesses; the programs are CO-RE, so one object serves every kernel
// of that byte order. BPF_CLANG and BPF_CFLAGS come from the Makefile.
