//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpcong: time TCP connections spend in each congestion-control state
 * (open, disorder, cwr, recovery, loss), summed per connection or as
 * log2 histograms per state (-d).
 *
 * Hooks: tcp:tcp_cong_state_set (6.0+), fired by tcp_set_ca_state before
 * the socket's icsk_ca_state takes the new value, so the socket still
 * holds the state being left; and sock:inet_sock_set_state, to start a
 * connection's clock when it is established (in open) and to forget it
 * when it closes. A connection established before the tool started gets
 * its clock at its first change seen; that first state's time is not
 * known and not counted. Time in the state a connection is in at the end
 * of an interval is counted when it leaves that state. Both maps of
 * connections are plain hashes whose refused inserts are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "tcpstate.bpf.h"
#include "tcpcong.h"

const volatile bool dist = false;	  /* -d: histograms, not per-connection sums */
const volatile bool microseconds = false; /* -u: histogram slots in us, else ms */
/* -L / -R port ranges; max 0: any port */
const volatile __u16 lport_min = 0;
const volatile __u16 lport_max = 0;
const volatile __u16 rport_min = 0;
const volatile __u16 rport_max = 0;

/* since: when the socket entered the state it is in, by socket address */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} since SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct tcpcong_key);
	__type(value, struct tcpcong_stat);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCPCONG_STATES);
	__type(key, __u32);
	__type(value, struct tcpcong_hist);
} hists SEC(".maps");

const struct tcpcong_key *unused_key __attribute__((unused));
const struct tcpcong_stat *unused_stat __attribute__((unused));
const struct tcpcong_hist *unused_hist __attribute__((unused));

static __always_inline bool in_range(__u16 port, __u16 lo, __u16 hi)
{
	return !hi || (port >= lo && port <= hi);
}

static __always_inline bool ports_allowed(const struct sock *sk)
{
	__u16 lport = sk_lport(sk);
	__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));

	return in_range(lport, lport_min, lport_max) && in_range(rport, rport_min, rport_max);
}

static __always_inline void add_hist(__u32 state, __u64 ns)
{
	static const struct tcpcong_hist zero;
	struct tcpcong_hist *h = bpf_map_lookup_elem(&hists, &state);
	__u64 slot;

	if (!h) {
		update_counted(&hists, &state, &zero, BPF_NOEXIST, TCPCONG_FULL_HISTS);
		h = bpf_map_lookup_elem(&hists, &state);
		if (!h)
			return;
	}
	slot = log2_u64(microseconds ? ns / 1000 : ns / 1000000);
	if (slot >= TCPCONG_MAX_SLOTS)
		slot = TCPCONG_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
}

static __always_inline void add_stat(const struct sock *sk, __u32 state, __u64 ns, bool timed)
{
	static const struct tcpcong_stat zero;
	struct tcpcong_key k = {};
	struct sk_tuple t = {};
	struct tcpcong_stat *s;

	if (read_sk_tuple(sk, &t))
		return;
	k.family = t.af;
	k.lport = t.lport;
	k.rport = t.rport;
	__builtin_memcpy(k.laddr, t.laddr, sizeof(k.laddr));
	__builtin_memcpy(k.raddr, t.raddr, sizeof(k.raddr));
	s = bpf_map_lookup_elem(&stats, &k);
	if (!s) {
		update_counted(&stats, &k, &zero, BPF_NOEXIST, TCPCONG_FULL_STATS);
		s = bpf_map_lookup_elem(&stats, &k);
		if (!s)
			return;
	}
	/* the verifier needs the bound on the very register that indexes */
	barrier_var(state);
	if (timed && state < TCPCONG_STATES)
		__sync_fetch_and_add(&s->ns[state], ns);
	__sync_fetch_and_add(&s->changes, 1);
}

static __always_inline int on_cong(const struct sock *sk, __u8 new_state)
{
	__u64 key = (__u64)sk, now, *start, ns = 0;
	__u32 old;

	if (!sk || !ports_allowed(sk))
		return 0;
	old = BPF_CORE_READ_BITFIELD_PROBED((struct inet_connection_sock *)sk, icsk_ca_state);
	if (old == new_state)
		return 0;
	now = bpf_ktime_get_ns();
	start = bpf_map_lookup_elem(&since, &key);
	if (start) {
		ns = now - *start;
		*start = now;
	} else {
		update_counted(&since, &key, &now, BPF_ANY, TCPCONG_FULL_SOCKS);
	}
	if (dist) {
		if (start && old < TCPCONG_STATES)
			add_hist(old, ns);
		return 0;
	}
	add_stat(sk, old, ns, start != NULL);
	return 0;
}

SEC("tp_btf/tcp_cong_state_set")
int BPF_PROG(btf_cong_state_set, struct sock *sk, __u8 ca_state)
{
	return on_cong(sk, ca_state);
}

SEC("raw_tp/tcp_cong_state_set")
int BPF_PROG(raw_cong_state_set, struct sock *sk, __u8 ca_state)
{
	return on_cong(sk, ca_state);
}

SEC("tracepoint/tcp/tcp_cong_state_set")
int tp_cong_state_set(struct trace_event_raw_tcp_cong_state_set *ctx)
{
	return on_cong(ctx->skaddr, ctx->cong_state);
}

static __always_inline int on_state(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	__u64 key = (__u64)sk, now;

	if (newstate == PBX_TCP_CLOSE) {
		bpf_map_delete_elem(&since, &key);
		return 0;
	}
	if (newstate != PBX_TCP_ESTABLISHED || !ports_allowed(sk))
		return 0;
	now = bpf_ktime_get_ns();
	update_counted(&since, &key, &now, BPF_ANY, TCPCONG_FULL_SOCKS);
	return 0;
}

PBX_SET_STATE_PROGRAMS(on_state)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
