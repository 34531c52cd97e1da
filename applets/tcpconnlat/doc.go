// Package tcpconnlat traces active TCP connects with the time from
// connect() to the SYN-ACK that established them, as libbpf-tools'
// tcpconnlat prints them ([min_ms] threshold, -L LPORT column, -t
// seconds; -p, -4, -6 filter in the kernel, and so does the threshold).
//
// Hooks, best first: fentry, else kprobes, on tcp_v4_connect /
// tcp_v6_connect and tcp_rcv_state_process (as libbpf-tools); where
// neither can attach (this development machine), sock:inet_sock_set_state
// stands in: the change to SYN_SENT inside connect() starts the clock and
// SYN_SENT -> ESTABLISHED stops it, which differs from the function hooks
// by the microseconds connect() spends before the state change.
//
// --json prints one object per connect: timestamp_ns, time_s (-t), pid,
// comm, ip, saddr, lport, daddr, dport, lat_ms.
//
// On the development machine (6.18), `tcpconnlat -L` while a Python
// script connected over IPv6 and IPv4 loopback:
//
//	PID    COMM         IP SADDR            LPORT  DADDR            DPORT LAT(ms)
//	7088   python3      6  ::1              54268  ::1              43071 0.12
//	7164   python3      4  127.0.0.1        41884  127.0.0.1        51303 0.05
package tcpconnlat
