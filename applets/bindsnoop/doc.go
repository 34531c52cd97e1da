// Package bindsnoop traces bind() on IPv4 and IPv6 sockets with the
// result, protocol, the socket options that change binding and the
// address bound, as libbpf-tools' bindsnoop prints them (-t clock; -x, or
// bcc's -E, adds failed binds; -p, -P and -c filter in the kernel). OPTS
// shows F T N R r for IP_FREEBIND, IP_TRANSPARENT,
// IP_BIND_ADDRESS_NO_PORT, SO_REUSEADDR and SO_REUSEPORT.
//
// Hooks, best first: fexit on inet_bind / inet6_bind, kprobes +
// kretprobes on them, else the bind syscall's tracepoints, the socket
// found through the task's file table at the syscall's exit (binds the
// kernel makes itself are then missed). A successful bind shows the
// port and address the socket got; a failed one what was asked for.
//
// --json prints one object per bind: timestamp_ns, time (-t), pid, comm,
// ret, proto, opts, if, ip, port, addr.
//
// On the development machine (6.18), `bindsnoop -x` while Python bound
// with SO_REUSEADDR, bound UDP over IPv6 with SO_REUSEPORT and failed to
// bind a taken port (another engineer's test helper, with its hostile
// name escaped, bound meanwhile):
//
//	PID     COMM             RET PROTO OPTS  IF   PORT  ADDR
//	7280    pbx\x1b[2J\r\x08\xff 0   TCP   ..... 0    47693 ::1
//	7280    pbx\x1b[2J\r\x08\xff 0   TCP   ..... 0    43423 ::ffff:127.0.0.1
//	7280    pbx\x1b[2J\r\x08\xff 0   UNK   ...R. 0    46045 127.0.0.1
//	7212    python3          0   TCP   ...R. 0    41655 127.0.0.1
//	7212    python3          0   UDP   ....r 0    55268 ::1
//	7212    python3          -98 TCP   ..... 0    41655 127.0.0.1
package bindsnoop
