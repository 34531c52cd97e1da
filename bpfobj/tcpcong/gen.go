// Package tcpcong is the BPF side of the tcpcong applet: its C source, its layout
// header and the objects and loader bpf2go generated from them.
package tcpcong

//go:generate go tool bpf2go -go-package tcpcong -output-stem tcpcong -type tcpcong_key -type tcpcong_stat -type tcpcong_hist -target bpfel,bpfeb -cc $BPF_CLANG -cflags $BPF_CFLAGS Tcpcong tcpcong.bpf.c
