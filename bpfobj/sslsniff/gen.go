// Package sslsniff is the BPF side of the sslsniff applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package sslsniff

//go:generate go tool bpf2go -go-package sslsniff -output-stem sslsniff -type ssl_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Sslsniff sslsniff.bpf.c
