//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpsynbl: the accept backlog of listening sockets each time a
 * handshake completes, as log2 histograms keyed by the backlog limit.
 *
 * Hooks, best first: fentry, else kprobes, on tcp_v4_syn_recv_sock /
 * tcp_v6_syn_recv_sock (the listener and its queue length as the child
 * is made); else sock:inet_sock_set_state's LISTEN -> SYN_RECV of that
 * child, made inside the same call as a copy of the listener, so its
 * backlog fields hold the listener's at that moment. -4/-6 filter here;
 * histograms live in a plain hash whose refused inserts are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "tcpstate.bpf.h"
#include "tcpsynbl.h"

#define PBX_TCP_LISTEN 10

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct tcpsynbl_hist);
} hists SEC(".maps");

const struct tcpsynbl_hist *unused_hist __attribute__((unused));

static __always_inline int count(const struct sock *sk)
{
	static const struct tcpsynbl_hist zero;
	__u64 max, backlog, slot;
	struct tcpsynbl_hist *h;

	if (!family_allowed(BPF_CORE_READ(sk, __sk_common.skc_family)))
		return 0;
	max = BPF_CORE_READ(sk, sk_max_ack_backlog);
	backlog = BPF_CORE_READ(sk, sk_ack_backlog);
	h = bpf_map_lookup_elem(&hists, &max);
	if (!h) {
		update_counted(&hists, &max, &zero, BPF_NOEXIST, TCPSYNBL_FULL_HISTS);
		h = bpf_map_lookup_elem(&hists, &max);
		if (!h)
			return 0;
	}
	slot = log2_u64(backlog);
	if (slot >= TCPSYNBL_MAX_SLOTS)
		slot = TCPSYNBL_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

SEC("fentry/tcp_v4_syn_recv_sock")
int BPF_PROG(fentry_v4, struct sock *sk)
{
	return count(sk);
}

SEC("fentry/tcp_v6_syn_recv_sock")
int BPF_PROG(fentry_v6, struct sock *sk)
{
	return count(sk);
}

SEC("kprobe/tcp_v4_syn_recv_sock")
int kprobe_v4(void *ctx)
{
	return count((const struct sock *)pb_reg_arg(ctx, 0));
}

SEC("kprobe/tcp_v6_syn_recv_sock")
int kprobe_v6(void *ctx)
{
	return count((const struct sock *)pb_reg_arg(ctx, 0));
}

static __always_inline int on_state(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	if (oldstate != PBX_TCP_LISTEN || newstate != PBX_TCP_SYN_RECV)
		return 0;
	return count(sk);
}

PBX_SET_STATE_PROGRAMS(on_state)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
