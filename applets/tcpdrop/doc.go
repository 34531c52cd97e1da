// Package tcpdrop traces TCP segments the kernel dropped, as bcc's
// tcpdrop prints them (time, PID on CPU, addresses and ports from the
// IP and TCP headers, the socket's state, the TCP flags, then the kernel
// stack), with the kernel's drop reason added after the flags (from
// enum skb_drop_reason in the kernel's BTF; 5.17+). -4/-6 filter in the
// kernel; --nostack leaves the stacks out.
//
// It reads skb:kfree_skb (tp_btf, raw tracepoint, tracefs), which sees
// every drop, not only those of tcp_drop() that bcc once probed; frees
// the kernel marks SKB_CONSUMED are not drops. STATE is "-" when the
// segment was dropped before a socket was found. A listen queue overflow
// is not among them on current kernels: that SYN is consumed (tcpsynbl
// shows the queue).
//
// --json prints one object per drop: timestamp_ns, time, pid, ip, saddr,
// sport, daddr, dport, state, flags, reason, stack.
//
// On the development machine (6.18), `tcpdrop` while Python connected to
// a closed loopback port (frames as bcc prints them, offsets in hex):
//
//	TIME     PID     IP SADDR:SPORT          > DADDR:DPORT          STATE (FLAGS) REASON
//	06:57:44 23979   4  127.0.0.1:34412      > 127.0.0.1:47725      - (SYN) NO_SOCKET
//		sk_skb_reason_drop+0x90
//		tcp_v4_rcv+0x99
//		ip_protocol_deliver_rcu+0x2c
//		ip_local_deliver_finish+0x81
//		__netif_receive_skb_one_core+0x8d
//		process_backlog+0x83
//		__napi_poll+0x31
//		net_rx_action+0x16e
//		handle_softirqs+0xcd
//		do_softirq.part.0+0x3b
//		__local_bh_enable_ip+0x64
//		__dev_queue_xmit+0x394
//		ip_finish_output2+0x2ac
//		ip_output+0x5f
//		__ip_queue_xmit+0x16b
//		__tcp_transmit_skb+0xac4
//		tcp_connect+0xceb
//		tcp_v4_connect+0x47a
//		__inet_stream_connect+0x11a
//		inet_stream_connect+0x38
//		__sys_connect+0x8f
//		__x64_sys_connect+0x14
//		do_syscall_64+0x71
package tcpdrop
