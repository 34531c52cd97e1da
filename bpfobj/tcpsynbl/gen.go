// Package tcpsynbl is the BPF side of the tcpsynbl applet: its C source, its layout
// header and the objects and loader bpf2go generated from them.
package tcpsynbl

//go:generate go tool bpf2go -go-package tcpsynbl -output-stem tcpsynbl -type tcpsynbl_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpsynbl tcpsynbl.bpf.c
