//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpretrans: TCP retransmits (and, with -l, tail loss probes) with the
 * connection's addresses, ports and state, read from the socket.
 *
 * Retransmits come from the tcp:tcp_retransmit_skb tracepoint as tp_btf,
 * raw tracepoint or tracefs tracepoint, else a kprobe on
 * tcp_retransmit_skb (kernels before 4.15). Tail loss probes have no
 * tracepoint: fentry or a kprobe on tcp_send_loss_probe. Every hook hands
 * the same sock and skb to handle(), so all of them report alike. With -c
 * the kernel counts per flow in `counts` and emits nothing. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "tcpretrans.h"
#include "tally.bpf.h"
#include "regs.bpf.h"

#define AF_INET 2
#define AF_INET6 10

const volatile __u16 filter_family = 0; /* -4/-6: AF_INET or AF_INET6; 0: both */
const volatile bool count_mode = false; /* -c */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct retrans_flow);
	__type(value, __u64);
} counts SEC(".maps");

/* Names struct retrans_event in the object's BTF for bpf2go's -type. */
const struct retrans_event *unused_event __attribute__((unused));

static __always_inline void count_flow(const struct retrans_event *e)
{
	struct retrans_flow k = {};
	__u64 one = 1, *n;

	__builtin_memcpy(k.saddr, e->saddr, sizeof(k.saddr));
	__builtin_memcpy(k.daddr, e->daddr, sizeof(k.daddr));
	k.family = e->family;
	k.lport = e->lport;
	k.dport = e->dport;
	n = bpf_map_lookup_elem(&counts, &k);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (bpf_map_update_elem(&counts, &k, &one, BPF_NOEXIST) == 0)
		return;
	/* Another CPU inserted the flow first, or the map is full. */
	n = bpf_map_lookup_elem(&counts, &k);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		count_lost();
}

static __always_inline int handle(void *ctx, const struct sock *sk, const struct sk_buff *skb, __u8 type)
{
	struct retrans_event e = {};
	__u16 family;

	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (filter_family && family != filter_family)
		return 0;
	e.family = family;
	e.type = type;
	e.lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e.dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (family == AF_INET) {
		/* 4 bytes only: BPF_CORE_READ_INTO would copy sizeof(e.saddr),
		 * and the bytes after the address would split -c's flows. */
		__be32 s4 = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__be32 d4 = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(e.saddr, &s4, sizeof(s4));
		__builtin_memcpy(e.daddr, &d4, sizeof(d4));
	} else {
		BPF_CORE_READ_INTO(&e.saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&e.daddr, sk, __sk_common.skc_v6_daddr);
	}
	if (tally_mode) {
		tally(type, family, e.dport, e.daddr);
		return 0;
	}
	if (count_mode) {
		count_flow(&e);
		return 0;
	}
	if (skb) {
		/* TCP_SKB_CB(skb)->seq: the control block lives in skb->cb. */
		const struct tcp_skb_cb *tcb = (const void *)&skb->cb;

		bpf_core_read(&e.seq, sizeof(e.seq), &tcb->seq);
	}
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	emit(ctx, &e, sizeof(e));
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(btf_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	return handle(ctx, sk, skb, TCPRETRANS_RETRANSMIT);
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(raw_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	return handle(ctx, sk, skb, TCPRETRANS_RETRANSMIT);
}

/* The tracefs record starts with the common header, then skbaddr and
 * skaddr; that prefix is the same in every kernel since 4.15, while the
 * record's struct name and later fields changed, so it is spelled out
 * here rather than relocated. */
struct tcp_retransmit_record {
	__u64 common;
	const void *skbaddr;
	const void *skaddr;
};

SEC("tracepoint/tcp/tcp_retransmit_skb")
int tp_retransmit(struct tcp_retransmit_record *ctx)
{
	return handle(ctx, ctx->skaddr, ctx->skbaddr, TCPRETRANS_RETRANSMIT);
}

SEC("kprobe/tcp_retransmit_skb")
int kp_retransmit(void *ctx)
{
	return handle(ctx, (void *)pb_reg_arg(ctx, 0), (void *)pb_reg_arg(ctx, 1), TCPRETRANS_RETRANSMIT);
}

SEC("fentry/tcp_send_loss_probe")
int BPF_PROG(fentry_tlp, struct sock *sk)
{
	return handle(ctx, sk, 0, TCPRETRANS_TLP);
}

SEC("kprobe/tcp_send_loss_probe")
int kp_tlp(void *ctx)
{
	return handle(ctx, (void *)pb_reg_arg(ctx, 0), 0, TCPRETRANS_TLP);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
