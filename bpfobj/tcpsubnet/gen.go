// Package tcpsubnet is the BPF side of the tcpsubnet applet: its C source, its layout
// header and the objects and loader bpf2go generated from them.
package tcpsubnet

//go:generate go tool bpf2go -go-package tcpsubnet -output-stem tcpsubnet -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpsubnet tcpsubnet.bpf.c
