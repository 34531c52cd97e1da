// Package tcplife traces TCP sessions that close while it runs: the
// process, both ends, the bytes sent and received and how long the
// session lived, as bcc's tcplife prints them (-w wide, -s CSV, -T and -t
// times; -p, -L, -D, -4, -6 filter in the kernel). Everything comes from
// sock:inet_sock_set_state (tp_btf, raw tracepoint or tracefs
// tracepoint): a session is born at its last change to SYN_SENT,
// SYN_RECV or ESTABLISHED and reported at CLOSE. The process is the one
// that connected (SYN_SENT) or closed after the peer (LAST_ACK), else
// whoever ran at the close.
//
// TX_KB and RX_KB are the socket's bytes_acked and bytes_received (what
// tcp_info reports): they count the sequence number of each SYN and FIN
// as a byte, so a connecting end that sent 20000 bytes shows 20002 (the
// FIN a closing end receives is counted by 6.18 but not by 6.1).
//
// --json prints one object per session: timestamp_ns, time (-T), time_s
// (-t), pid, comm, ip, laddr, lport, raddr, rport, tx_bytes, rx_bytes, ms.
//
// On the development machine (6.18), `tcplife -w` while a Python script
// made an IPv4 and an IPv6 session over loopback:
//
//	PID   COMM             IP LADDR                      LPORT RADDR                      RPORT  TX_KB  RX_KB MS
//	15141 python3          4  127.0.0.1                  41426 127.0.0.1                  46969     19    292 2.97
//	15141 python3          4  127.0.0.1                  46969 127.0.0.1                  41426    292     19 2.98
//	15226 python3          6  ::1                        36620 ::1                        50213     19    292 8.76
//	15226 python3          6  ::1                        50213 ::1                        36620    292     19 8.76
package tcplife
