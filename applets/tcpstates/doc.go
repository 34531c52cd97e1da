// Package tcpstates traces TCP state changes with the time each socket
// spent in the state it leaves, as libbpf-tools' tcpstates prints them
// (-T clock, -w wide; -4, -6, -L, -D filter in the kernel). It reads
// sock:inet_sock_set_state (tp_btf, raw tracepoint or tracefs
// tracepoint); the PID and COMM are the task running at the change,
// which for changes made by arriving packets is whoever the softirq ran
// in.
//
// --json prints one object per change: timestamp_ns, time (-T), skaddr,
// pid, comm, ip, laddr, lport, raddr, rport, oldstate, newstate, ms.
//
// On the development machine (6.18), `tcpstates` while a Python script
// made one loopback session:
//
//	SKADDR           PID     COMM       LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS
//	ffff888102f45c80 26985   python3    127.0.0.1       37685 0.0.0.0         0     CLOSE       -> LISTEN      0.000
//	ffff888102f41bc0 26985   python3    127.0.0.1       0     127.0.0.1       37685 CLOSE       -> SYN_SENT    0.000
//	ffff888102f41bc0 26985   python3    127.0.0.1       57000 127.0.0.1       37685 SYN_SENT    -> ESTABLISHED 0.072
//	ffff888102f41280 26985   python3    127.0.0.1       37685 127.0.0.1       57000 LISTEN      -> SYN_RECV    0.000
//	ffff888102f41280 26985   python3    127.0.0.1       37685 127.0.0.1       57000 SYN_RECV    -> ESTABLISHED 0.007
//	ffff888102f41bc0 26985   python3    127.0.0.1       57000 127.0.0.1       37685 ESTABLISHED -> FIN_WAIT1   15.386
//	ffff888102f41280 26985   python3    127.0.0.1       37685 127.0.0.1       57000 ESTABLISHED -> CLOSE_WAIT  15.363
//	ffff888102f41280 26985   python3    127.0.0.1       37685 127.0.0.1       57000 CLOSE_WAIT  -> LAST_ACK    4.656
//	ffff888102f41bc0 26985   python3    127.0.0.1       57000 127.0.0.1       37685 FIN_WAIT1   -> FIN_WAIT2   4.695
//	ffff888102f41bc0 26985   python3    127.0.0.1       57000 127.0.0.1       37685 FIN_WAIT2   -> CLOSE       0.012
//	ffff888102f41280 26985   python3    127.0.0.1       37685 127.0.0.1       57000 LAST_ACK    -> CLOSE       0.059
package tcpstates
