//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcplife: TCP sessions that close while tracing, with their duration and
 * the bytes each way, from sock:inet_sock_set_state alone.
 *
 * A session is born at its last change to SYN_SENT, SYN_RECV or
 * ESTABLISHED (birth, by socket) and reported at its change to CLOSE.
 * The process is the one that moved it to SYN_SENT (connect) or LAST_ACK
 * (close after the peer's FIN), recorded in idents; otherwise whoever
 * runs at the close, often a softirq borrowing a task. Bytes are the
 * socket's bytes_acked (sent) and bytes_received, as tcp_get_info() reports
 * them. Both maps are plain hashes whose refused inserts are counted.
 *
 * With pow2_seconds (`probebox exporter`) nothing is emitted: each closed
 * session adds to per-CPU histograms by address family (durations in
 * powers of two of seconds, bytes by ceil(log2)), and no owner is kept. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "tcpstate.bpf.h"
#include "bits.bpf.h"
#include "pow2hist.bpf.h"
#include "tcplife.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
PBX_PORT_FILTER(filter_lports)       /* -L */
PBX_PORT_FILTER(filter_rports)       /* -D */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} birth SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, struct tcplife_ident);
} idents SEC(".maps");

/* pow2_seconds only: index 0 IPv4, 1 IPv6. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct tcplife_hist);
} hists SEC(".maps");

/* Names the structs in the object's BTF for bpf2go's -type. */
const struct tcplife_event *unused_event __attribute__((unused));
const struct tcplife_hist *unused_hist __attribute__((unused));

static __always_inline __u32 clamp_slot(__u64 slot)
{
	return slot >= TCPLIFE_MAX_SLOTS ? TCPLIFE_MAX_SLOTS - 1 : slot;
}

/* add_hist accounts one closed session (per-CPU: plain adds). */
static __always_inline void add_hist(__u16 af, __u64 span_ns, __u64 rx, __u64 tx)
{
	__u32 key = af == AF_INET6;
	struct tcplife_hist *h = bpf_map_lookup_elem(&hists, &key);

	if (!h)
		return;
	h->span_slots[clamp_slot(log2_u64(pow2s_units(span_ns)))]++;
	h->rx_slots[clamp_slot(log2_ceil(rx))]++;
	h->tx_slots[clamp_slot(log2_ceil(tx))]++;
	h->span_ns += span_ns;
	h->rx_b += rx;
	h->tx_b += tx;
}

static __always_inline int on_state(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	__u64 key = (__u64)sk, now = bpf_ktime_get_ns(), *start;
	struct tcplife_ident *who;
	struct tcplife_event e = {};
	struct sk_tuple t = {};
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	if (newstate < PBX_TCP_FIN_WAIT1) {
		__u16 af = BPF_CORE_READ(sk, __sk_common.skc_family);

		/* What is known this early is filtered now, to spare the map. */
		if (!family_allowed(af) || (af != AF_INET && af != AF_INET6))
			return 0;
		update_counted(&birth, &key, &now, BPF_ANY, TCPLIFE_FULL_BIRTH);
	}
	if (!pow2_seconds && (newstate == PBX_TCP_SYN_SENT || newstate == PBX_TCP_LAST_ACK)) {
		struct tcplife_ident id = {.pid = pid};

		if ((!filter_pid || pid == filter_pid) && bpf_map_lookup_elem(&birth, &key)) {
			bpf_get_current_comm(id.comm, sizeof(id.comm));
			update_counted(&idents, &key, &id, BPF_ANY, TCPLIFE_FULL_IDENTS);
		}
	}
	if (newstate != PBX_TCP_CLOSE)
		return 0;
	start = bpf_map_lookup_elem(&birth, &key);
	if (!start) {
		bpf_map_delete_elem(&idents, &key);
		return 0; /* born before tracing began */
	}
	e.span_ns = now - *start;
	bpf_map_delete_elem(&birth, &key);
	who = bpf_map_lookup_elem(&idents, &key);
	if (who) {
		e.pid = who->pid;
		__builtin_memcpy(e.comm, who->comm, sizeof(e.comm));
		bpf_map_delete_elem(&idents, &key);
	} else {
		e.pid = pid;
		bpf_get_current_comm(e.comm, sizeof(e.comm));
	}
	if (filter_pid && e.pid != filter_pid)
		return 0;
	if (read_sk_tuple(sk, &t) || !family_allowed(t.af))
		return 0;
	if (!filter_lports_allowed(t.lport) || !filter_rports_allowed(t.rport))
		return 0;
	if (pow2_seconds) {
		add_hist(t.af, e.span_ns, BPF_CORE_READ((struct tcp_sock *)sk, bytes_received),
			 BPF_CORE_READ((struct tcp_sock *)sk, bytes_acked));
		return 0;
	}
	e.ts_ns = now;
	e.af = t.af;
	e.lport = t.lport;
	e.rport = t.rport;
	__builtin_memcpy(e.laddr, t.laddr, sizeof(e.laddr));
	__builtin_memcpy(e.raddr, t.raddr, sizeof(e.raddr));
	e.rx_b = BPF_CORE_READ((struct tcp_sock *)sk, bytes_received);
	e.tx_b = BPF_CORE_READ((struct tcp_sock *)sk, bytes_acked);
	emit(ctx, &e, sizeof(e));
	return 0;
}

PBX_SET_STATE_PROGRAMS(on_state)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
