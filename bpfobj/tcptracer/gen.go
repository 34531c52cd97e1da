// Package tcptracer is the BPF side of the tcptracer applet: its C source, its event
// layout header and the objects and loader bpf2go generated from them.
package tcptracer

//go:generate go tool bpf2go -go-package tcptracer -output-stem tcptracer -type tcptracer_event -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcptracer tcptracer.bpf.c
