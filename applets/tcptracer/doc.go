// Package tcptracer traces TCP connections as they are connected (C),
// accepted (A) and closed (X), with their addresses, as libbpf-tools'
// tcptracer prints them (-t seconds, -U UID; -p, -u, -N network
// namespace, -4/-6 filter in the kernel).
//
// Connects come from sock:inet_sock_set_state: the change to SYN_SENT in
// connect() records the process, SYN_SENT -> ESTABLISHED reports it.
// Accepts and closes come from inet_csk_accept's return and tcp_close
// (fexit/fentry, else kretprobe/kprobe); where neither attaches, from
// the accept()/accept4() syscalls' return (the new fd's socket) and the
// state changes close() makes (ESTABLISHED -> FIN_WAIT1 or CLOSE,
// CLOSE_WAIT -> LAST_ACK or CLOSE; a reset received then also shows as X).
//
// --json prints one object per event: timestamp_ns, time_s (-t), type
// ("connect", "accept", "close"), pid, uid, comm, ip, saddr, daddr,
// sport, dport, netns.
//
// On the development machine (6.18, shared), `tcptracer` while another
// engineer's test helper (its hostile name escaped) connected to itself
// over loopback:
//
//	T PID    COMM         IP SADDR            DADDR            SPORT DPORT
//	C 26818  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        57660 45219
//	A 26818  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        45219 57660
//	X 26818  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        45219 57660
//	X 26818  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        57660 45219
//	C 26835  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        52754 46867
//	A 26835  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        46867 52754
//	X 26835  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        46867 52754
//	X 26835  pbx\x1b[2J\r\x08\xff 4  127.0.0.1        127.0.0.1        52754 46867
package tcptracer
