// Package tcpretrans is the BPF side of the tcpretrans applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcpretrans

//go:generate go tool bpf2go -go-package tcpretrans -output-stem tcpretrans -type retrans_event -type retrans_flow -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpretrans tcpretrans.bpf.c
