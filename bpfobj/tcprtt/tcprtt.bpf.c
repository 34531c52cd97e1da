//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcprtt: the smoothed RTT of established TCP connections, sampled each
 * time one receives a segment on its fast path (tcp_rcv_established), as
 * a log2 histogram, in total or per local (-b) or remote (-B) address.
 *
 * Hooks, best first: fentry, else a kprobe, on tcp_rcv_established; the
 * tcp:tcp_probe tracepoint (tp_btf, raw tracepoint or tracefs), which
 * tcp_rcv_established fires on entry, sees the same calls. Filters (-p
 * -P -a -A) run here; histograms live in a plain hash whose refused
 * inserts are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "tcpsock.bpf.h"
#include "tcprtt.h"

const volatile __u16 filter_lport = 0; /* -p, host order; 0: any */
const volatile __u16 filter_rport = 0; /* -P */
const volatile __u16 filter_laddr_af = 0; /* -a: family of filter_laddr; 0: any */
const volatile __u8 filter_laddr[16] = {};
const volatile __u16 filter_raddr_af = 0; /* -A */
const volatile __u8 filter_raddr[16] = {};
const volatile __u8 key_mode = TCPRTT_KEY_ALL;
const volatile bool in_ms = false;    /* -m */
const volatile bool extended = false; /* -e */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct tcprtt_key);
	__type(value, struct tcprtt_hist);
} hists SEC(".maps");

/* Names the structs in the object's BTF for bpf2go's -type. */
const struct tcprtt_key *unused_key __attribute__((unused));
const struct tcprtt_hist *unused_hist __attribute__((unused));

static __always_inline bool addr_matches(__u16 af, const __u8 *a, __u16 want_af, const volatile __u8 *want)
{
	int i;

	if (!want_af)
		return true;
	if (af != want_af)
		return false;
	for (i = 0; i < 16; i++) {
		if (af == AF_INET && i >= 4)
			break;
		if (a[i] != want[i])
			return false;
	}
	return true;
}

static __always_inline int count_rtt(const struct sk_tuple *t, __u32 srtt_us)
{
	static const struct tcprtt_hist zero;
	struct tcprtt_key key = {};
	struct tcprtt_hist *h;
	__u64 rtt = srtt_us, slot;

	if (t->af != AF_INET && t->af != AF_INET6)
		return 0;
	if ((filter_lport && t->lport != filter_lport) || (filter_rport && t->rport != filter_rport))
		return 0;
	if (!addr_matches(t->af, t->laddr, filter_laddr_af, filter_laddr) ||
	    !addr_matches(t->af, t->raddr, filter_raddr_af, filter_raddr))
		return 0;
	if (key_mode == TCPRTT_KEY_LADDR) {
		key.family = t->af;
		__builtin_memcpy(key.addr, t->laddr, sizeof(key.addr));
	} else if (key_mode == TCPRTT_KEY_RADDR) {
		key.family = t->af;
		__builtin_memcpy(key.addr, t->raddr, sizeof(key.addr));
	}
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		update_counted(&hists, &key, &zero, BPF_NOEXIST, TCPRTT_FULL_HISTS);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			return 0;
	}
	if (in_ms)
		rtt /= 1000;
	slot = log2_u64(rtt);
	if (slot >= TCPRTT_MAX_SLOTS)
		slot = TCPRTT_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	if (extended) {
		__sync_fetch_and_add(&h->latency, rtt);
		__sync_fetch_and_add(&h->cnt, 1);
	}
	return 0;
}

/* from the socket: tcp_sock's srtt_us holds 8 times the smoothed RTT */
static __always_inline int sock_rtt(const struct sock *sk)
{
	struct sk_tuple t = {};

	if (!sk || read_sk_tuple(sk, &t))
		return 0;
	return count_rtt(&t, BPF_CORE_READ((struct tcp_sock *)sk, srtt_us) >> 3);
}

SEC("fentry/tcp_rcv_established")
int BPF_PROG(fentry_rcv, struct sock *sk)
{
	return sock_rtt(sk);
}

SEC("kprobe/tcp_rcv_established")
int kprobe_rcv(void *ctx)
{
	return sock_rtt((const struct sock *)pb_reg_arg(ctx, 0));
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(btf_probe, struct sock *sk)
{
	return sock_rtt(sk);
}

SEC("raw_tp/tcp_probe")
int BPF_PROG(raw_probe, struct sock *sk)
{
	return sock_rtt(sk);
}

/* The tracefs record has the addresses as sockaddr_in / sockaddr_in6 and
 * the RTT already shifted (srtt_us >> 3); read with CO-RE because its
 * layout grew over the years. */
SEC("tracepoint/tcp/tcp_probe")
int tp_probe(struct trace_event_raw_tcp_probe *ctx)
{
	struct sk_tuple t = {};

	t.af = BPF_CORE_READ(ctx, family);
	t.lport = BPF_CORE_READ(ctx, sport);
	t.rport = BPF_CORE_READ(ctx, dport);
	if (t.af == AF_INET) {
		bpf_core_read(t.laddr, 4, (void *)ctx->saddr + offsetof(struct sockaddr_in, sin_addr));
		bpf_core_read(t.raddr, 4, (void *)ctx->daddr + offsetof(struct sockaddr_in, sin_addr));
	} else {
		bpf_core_read(t.laddr, 16, (void *)ctx->saddr + offsetof(struct sockaddr_in6, sin6_addr));
		bpf_core_read(t.raddr, 16, (void *)ctx->daddr + offsetof(struct sockaddr_in6, sin6_addr));
	}
	return count_rtt(&t, BPF_CORE_READ(ctx, srtt));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
