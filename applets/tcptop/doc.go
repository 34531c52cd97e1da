// Package tcptop summarizes TCP throughput per process and connection
// each interval, like top, as libbpf-tools' tcptop prints it (-C no
// clear, -S no loadavg line, -s sort, -r rows; -p, -c, -4, -6 filter in
// the kernel; [interval] [count], default every second). The screen is
// cleared only when stdout is a terminal.
//
// Hooks, best first: fentry, else kprobes, on tcp_sendmsg and
// tcp_cleanup_rbuf (as libbpf-tools); else the sock:sock_send_length and
// sock:sock_recv_length tracepoints (6.3+), which count what
// sock_sendmsg / sock_recvmsg returned on TCP sockets (MSG_PEEK reads
// left out).
//
// --json prints one object per interval: summary, time, loadavg,
// connections [{pid, comm, ip, laddr, lport, raddr, rport, rx_bytes,
// tx_bytes}], not_counted {"flows": N}.
//
// On the development machine (6.18, shared), `tcptop -C 2`, first rows
// (another engineer's test helper, its hostile name escaped, making
// one-byte connections):
//
//	21:19:55 loadavg: 24.46 19.25 15.29 26/291 27684
//
//	PID    COMM         LADDR                 RADDR                  RX_KB  TX_KB
//	27176  http         192.0.2.2:41056       203.0.113.80:80        92236      2
//	27446  pbx\x1b[2J\r\x08\xff 127.0.0.1:34219       127.0.0.1:40446            0      0
//	27458  pbx\x1b[2J\r\x08\xff 127.0.0.1:33289       127.0.0.1:50950            0      0
//	27477  pbx\x1b[2J\r\x08\xff 127.0.0.1:41971       127.0.0.1:35584            0      0
//	27498  pbx\x1b[2J\r\x08\xff 127.0.0.1:44255       127.0.0.1:44104            0      0
package tcptop
