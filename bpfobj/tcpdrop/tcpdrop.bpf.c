//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpdrop: TCP segments the kernel dropped, from skb:kfree_skb (tp_btf,
 * raw tracepoint or tracefs), with the addresses and ports and flags of
 * the IPv4/IPv6 and TCP headers, the socket's state where the packet has
 * one, the kernel's drop reason (5.17+) and the kernel stack. Frees the
 * kernel marks as consumed (SKB_CONSUMED, 6.x) are not drops. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "probebox.bpf.h"
#include "tcpsock.bpf.h"
#include "tcpdrop.h"

#define PBX_ETH_P_IP 0x0800
#define PBX_ETH_P_IPV6 0x86DD

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 4096);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

const struct tcpdrop_event *unused_event __attribute__((unused));

/* Kernels before SKB_CONSUMED (6.4?) free consumed packets elsewhere. */
static __always_inline bool consumed(__u32 reason)
{
	if (!bpf_core_enum_value_exists(enum skb_drop_reason, SKB_CONSUMED))
		return false;
	return reason == bpf_core_enum_value(enum skb_drop_reason, SKB_CONSUMED);
}

static __always_inline int dropped(void *ctx, const struct sk_buff *skb, __u32 reason)
{
	struct tcpdrop_event e = {};
	unsigned char *head;
	__u16 nh, th, proto;
	const struct sock *sk;
	__u8 b0, l4 = 0;
	__be16 ports[2];

	if (!skb || consumed(reason))
		return 0;
	proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	head = BPF_CORE_READ(skb, head);
	nh = BPF_CORE_READ(skb, network_header);
	th = BPF_CORE_READ(skb, transport_header);
	if (proto == PBX_ETH_P_IP) {
		e.af = AF_INET;
		bpf_probe_read_kernel(&b0, 1, head + nh);
		if ((b0 >> 4) != 4)
			return 0;
		bpf_probe_read_kernel(&l4, 1, head + nh + 9);
		bpf_probe_read_kernel(e.saddr, 4, head + nh + 12);
		bpf_probe_read_kernel(e.daddr, 4, head + nh + 16);
		if (th == nh) /* transport header not set yet */
			th = nh + (b0 & 0xf) * 4;
	} else if (proto == PBX_ETH_P_IPV6) {
		e.af = AF_INET6;
		bpf_probe_read_kernel(&l4, 1, head + nh + 6); /* next header */
		bpf_probe_read_kernel(e.saddr, 16, head + nh + 8);
		bpf_probe_read_kernel(e.daddr, 16, head + nh + 24);
		if (th == nh)
			th = nh + 40;
	} else {
		return 0;
	}
	if (l4 != IPPROTO_TCP || !family_allowed(e.af))
		return 0;
	bpf_probe_read_kernel(ports, sizeof(ports), head + th);
	bpf_probe_read_kernel(&e.flags, 1, head + th + 13);
	e.sport = bpf_ntohs(ports[0]);
	e.dport = bpf_ntohs(ports[1]);
	sk = BPF_CORE_READ(skb, sk);
	if (sk)
		e.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e.reason = reason;
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.stack_id = bpf_get_stackid(ctx, &stacks, 0);
	emit(ctx, &e, sizeof(e));
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(btf_kfree_skb, struct sk_buff *skb, void *location, int reason)
{
	return dropped(ctx, skb, reason);
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(raw_kfree_skb, struct sk_buff *skb, void *location, int reason)
{
	return dropped(ctx, skb, reason);
}

/* The record's reason field exists since 5.17. */
struct trace_event_raw_kfree_skb___reason {
	int reason;
} __attribute__((preserve_access_index));

SEC("tracepoint/skb/kfree_skb")
int tp_kfree_skb(struct trace_event_raw_kfree_skb *ctx)
{
	__u32 reason = 0;

	if (bpf_core_field_exists(((struct trace_event_raw_kfree_skb___reason *)0)->reason))
		reason = BPF_CORE_READ((struct trace_event_raw_kfree_skb___reason *)ctx, reason);
	return dropped(ctx, ctx->skbaddr, reason);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
