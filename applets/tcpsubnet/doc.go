// Package tcpsubnet sums the bytes sent over TCP per destination subnet,
// as bcc's and libbpf-tools' tcpsubnet print them: every -i seconds a
// "[mm/dd/yy HH:MM:SS]" line, then each subnet sent to in that interval
// with its amount in the -f unit (bits, Kbits, Mbits, bytes, KBytes,
// MBytes). The list is matched in order and the first subnet that holds
// the destination takes the bytes, so a catch-all goes last; the default
// list is bcc's (127.0.0.1/32, the private ranges, 0.0.0.0/0). IPv6
// subnets are accepted too (a probebox addition), and an IPv6 socket
// talking to an IPv4-mapped peer (::ffff:a.b.c.d) counts as IPv4.
//
// Hooks, best first: fentry, else kprobe, on tcp_sendmsg (the size asked
// to send, as the peers); else the sock:sock_send_length tracepoint
// (6.3+), which sees what sock_sendmsg accepted on TCP sockets. The
// kernel keeps cumulative per-CPU counters per subnet (nothing can fill);
// each summary prints the difference.
//
// --json (or bcc's -J) prints one object per interval: summary, date,
// time, entries [{subnet, bytes}] (with -f other than B also unit and
// value).
//
// On the development machine (6.18), `tcpsubnet -i 2` while Python sent
// 65536 bytes one way and 1000 back over 127.0.0.1 and the same over ::1
// (not in the default list, so not counted):
//
//	Tracing... Output every 2 secs. Hit Ctrl-C to end
//	[12/02/26 00:30:07]
//	127.0.0.1/32               2
//	[12/02/26 00:30:09]
//	127.0.0.1/32           66539
//	[12/02/26 00:30:11]
//	127.0.0.1/32               1
package tcpsubnet
