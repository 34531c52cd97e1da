// Package bpfobj holds probebox's BPF programs, one folder per tool
// (bpfobj/<tool>/: the C source <tool>.bpf.c, its event layout header
// <tool>.h, gen.go with its one //go:generate line, and the objects and Go
// loader bpf2go generates), and include/ with what several tools share
// (probebox.bpf.h, mapfull.bpf.h, bits.bpf.h, blk.bpf.h, tcpsock.bpf.h,
// vmlinux.h for x86 and arm64). The generated files are committed so that a
// plain `go build` needs no clang; `make generate` rebuilds them all.
//
// -target bpfel,bpfeb builds both endiannesses; the programs are CO-RE, so
// one object serves every kernel of that byte order. BPF_CLANG and
// BPF_CFLAGS (-I../include) come from the Makefile. An applet imports its
// folder under the name bpfobj: import bpfobj ".../bpfobj/<tool>".
package bpfobj
