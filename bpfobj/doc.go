// Package bpfobj holds probebox's BPF programs: the C sources (*.bpf.c),
// their shared headers under include/, and the objects and Go loaders that
// bpf2go generates from them. The generated files are committed so that a
// plain `go build` needs no clang; `make generate` rebuilds them.
package bpfobj

// One line per tool. -target bpfel,bpfeb builds both endiannesses; the
// programs are CO-RE, so one object serves every kernel of that byte order.
//go:generate go tool bpf2go -go-package bpfobj -output-stem execsnoop -type exec_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Execsnoop execsnoop.bpf.c
