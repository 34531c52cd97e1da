// Package solisten traces listen() on IPv4 and IPv6 sockets with the
// result, the backlog and the address, as libbpf-tools' solisten prints
// them (-t clock, -p PID in the kernel).
//
// Hooks, best first: fexit on inet_listen, kprobe + kretprobe on it, else
// the listen syscall's tracepoints, the socket found through the task's
// file table at the syscall's exit; that stand-in misses listens the
// kernel makes itself and shows the backlog as passed, before the
// net.core.somaxconn cap that inet_listen sees.
//
// --json prints one object per listen: timestamp_ns, time (-t), pid,
// comm, ret, backlog, proto ("TCPv4"), port, addr.
//
// On the development machine (6.18), `solisten` while Python listened
// with backlogs 7 and 128:
//
//	PID     COMM             RET BACKLOG PROTO PORT  ADDR
//	814     python3          0   7       TCPv4 34689 127.0.0.1
//	814     python3          0   128     TCPv6 38725 ::1
package solisten
