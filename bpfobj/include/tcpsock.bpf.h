/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading a TCP socket's addresses and ports, shared by the TCP tools
 * (tcpconnect, tcpaccept). Addresses are copied in network byte order into
 * 16-byte buffers (IPv4 in the first 4 bytes), ports are returned in host
 * order; user space decodes both with core/netfmt. Kprobe arguments come
 * from regs.bpf.h. */
#ifndef PROBEBOX_TCPSOCK_BPF_H
#define PROBEBOX_TCPSOCK_BPF_H

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "regs.bpf.h"

#ifndef AF_INET
#define AF_INET 2
#endif
#ifndef AF_INET6
#define AF_INET6 10
#endif
#ifndef IPPROTO_TCP
#define IPPROTO_TCP 6
#endif

/* What the kernel's inet_sock_set_state reports as states. */
#define PBX_TCP_ESTABLISHED 1
#define PBX_TCP_SYN_SENT 2
#define PBX_TCP_CLOSE 7

struct sk_tuple {
	__u16 af;
	__u16 lport; /* host order */
	__u16 rport; /* host order */
	__u8 laddr[16];
	__u8 raddr[16];
};

/* sk_protocol was a bitfield before 5.6: the probed read copes with both. */
static __always_inline __u16 sk_proto(const struct sock *sk)
{
	return BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
}

/* sk_lport is the local port in host order. inet_sport first: when a
 * socket closes, inet_put_port() clears skc_num before the state change
 * is traced, but leaves inet_sport. */
static __always_inline __u16 sk_lport(const struct sock *sk)
{
	__u16 port = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));

	return port ? port : BPF_CORE_READ(sk, __sk_common.skc_num);
}

/* read_sk_tuple fills t from sk; it returns -1 for a family other than
 * IPv4 or IPv6. */
static __always_inline int read_sk_tuple(const struct sock *sk, struct sk_tuple *t)
{
	t->af = BPF_CORE_READ(sk, __sk_common.skc_family);
	t->lport = sk_lport(sk);
	t->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (t->af == AF_INET) {
		bpf_core_read(t->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(t->raddr, 4, &sk->__sk_common.skc_daddr);
		return 0;
	}
	if (t->af == AF_INET6) {
		bpf_core_read(t->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(t->raddr, 16, &sk->__sk_common.skc_v6_daddr);
		return 0;
	}
	return -1;
}

/* Port filters (-P): up to PBX_MAX_PORTS ports in host order, set by user
 * space before load; filter_ports_len == 0 lets every port through. */
#define PBX_MAX_PORTS 64
const volatile __u16 filter_ports[PBX_MAX_PORTS] = {};
const volatile __u32 filter_ports_len = 0;

static __always_inline bool port_allowed(__u16 port)
{
	int i;

	if (!filter_ports_len)
		return true;
	for (i = 0; i < PBX_MAX_PORTS; i++) {
		if (i >= filter_ports_len)
			break;
		if (filter_ports[i] == port)
			return true;
	}
	return false;
}

/* -4 / -6: 0 lets both families through. */
const volatile __u16 filter_family = 0;

static __always_inline bool family_allowed(__u16 af)
{
	return !filter_family || af == filter_family;
}

/* kprobe registers. The object is built for no particular architecture,
 * so the layouts of both are named here and CO-RE keeps the one the
 * running kernel has; the other branch is dead code to the verifier. */
#endif /* PROBEBOX_TCPSOCK_BPF_H */
