// Package tcpconnlat is the BPF side of the tcpconnlat applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcpconnlat

//go:generate go tool bpf2go -go-package tcpconnlat -output-stem tcpconnlat -type tcpconnlat_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpconnlat tcpconnlat.bpf.c
