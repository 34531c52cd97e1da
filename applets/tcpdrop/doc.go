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
// a closed loopback port:
//
//	TIME     PID     IP SADDR:SPORT          > DADDR:DPORT          STATE (FLAGS) REASON
//	21:37:35 14330   4  127.0.0.1:48386      > 127.0.0.1:35267      - (SYN) NO_SOCKET
//		sk_skb_reason_drop+144
//		tcp_v4_rcv+153
//		ip_protocol_deliver_rcu+44
//		ip_local_deliver_finish+129
//		__netif_receive_skb_one_core+141
//		process_backlog+131
//		__napi_poll+49
//		net_rx_action+366
//		handle_softirqs+205
//		do_softirq.part.0+59
//		__local_bh_enable_ip+100
//		__dev_queue_xmit+916
//		ip_finish_output2+684
//		ip_output+95
//		__ip_queue_xmit+363
//		__tcp_transmit_skb+2756
//		tcp_connect+3307
//		tcp_v4_connect+1146
//		__inet_stream_connect+282
//		inet_stream_connect+56
//		__sys_connect+143
//		__x64_sys_connect+20
package tcpdrop
