/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* sock:inet_sock_set_state for the TCP tools that follow a socket's life
 * (tcplife, tcpstates, tcpconnlat): the same handler reached as tp_btf,
 * raw tracepoint or tracefs tracepoint (programs btf_set_state,
 * raw_set_state, tp_set_state; core/netfmt.SetStateCandidates names
 * them). Only TCP sockets reach the handler, which reads everything else
 * from the socket with CO-RE, so every hook reports alike.
 *
 * Also: two port lists (local, remote) as -L/-D filters. */
#ifndef PROBEBOX_TCPSTATE_BPF_H
#define PROBEBOX_TCPSTATE_BPF_H

#include <bpf/bpf_tracing.h>
#include "tcpsock.bpf.h"

/* include/net/tcp_states.h */
#define PBX_TCP_SYN_RECV 3
#define PBX_TCP_FIN_WAIT1 4
#define PBX_TCP_LAST_ACK 9

/* PBX_SET_STATE_PROGRAMS(handler) defines the three programs; handler is
 * int handler(void *ctx, const struct sock *sk, int oldstate, int newstate). */
#define PBX_SET_STATE_PROGRAMS(handler)                                                 \
	SEC("tp_btf/inet_sock_set_state")                                              \
	int BPF_PROG(btf_set_state, const struct sock *sk, int oldstate, int newstate) \
	{                                                                              \
		if (sk_proto(sk) != IPPROTO_TCP)                                       \
			return 0;                                                      \
		return handler(ctx, sk, oldstate, newstate);                           \
	}                                                                              \
	SEC("raw_tp/inet_sock_set_state")                                              \
	int BPF_PROG(raw_set_state, const struct sock *sk, int oldstate, int newstate) \
	{                                                                              \
		if (sk_proto(sk) != IPPROTO_TCP)                                       \
			return 0;                                                      \
		return handler(ctx, sk, oldstate, newstate);                           \
	}                                                                              \
	SEC("tracepoint/sock/inet_sock_set_state")                                     \
	int tp_set_state(struct trace_event_raw_inet_sock_set_state *ctx)              \
	{                                                                              \
		if (ctx->protocol != IPPROTO_TCP)                                      \
			return 0;                                                      \
		return handler(ctx, ctx->skaddr, ctx->oldstate, ctx->newstate);        \
	}

/* PBX_PORT_FILTER(name): a list of up to PBX_MAX_PORTS ports in host order
 * (name, name_len) that user space sets before load, and
 * name_allowed(port); an empty list lets every port through. */
#define PBX_PORT_FILTER(name)                                          \
	const volatile __u16 name[PBX_MAX_PORTS] = {};                 \
	const volatile __u32 name##_len = 0;                           \
	static __always_inline bool name##_allowed(__u16 port)         \
	{                                                              \
		int i;                                                 \
		if (!name##_len)                                       \
			return true;                                   \
		for (i = 0; i < PBX_MAX_PORTS; i++) {                  \
			if (i >= name##_len)                           \
				break;                                 \
			if (name[i] == port)                           \
				return true;                           \
		}                                                      \
		return false;                                          \
	}

#endif /* PROBEBOX_TCPSTATE_BPF_H */
