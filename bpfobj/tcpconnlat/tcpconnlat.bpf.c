//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpconnlat: the time from an active connect to the SYN-ACK that
 * establishes it, for connects at least min_ns slow.
 *
 * Hooks, best first:
 *  - fentry, else kprobes, on tcp_v4_connect / tcp_v6_connect (start,
 *    by socket) and tcp_rcv_state_process (the socket still in SYN_SENT:
 *    the answer arrived), with tcp_v4_destroy_sock forgetting connects
 *    that never completed;
 *  - sock:inet_sock_set_state: the change to SYN_SENT, made inside
 *    connect() by the connecting task, starts; SYN_SENT -> ESTABLISHED
 *    ends; SYN_SENT -> CLOSE forgets.
 * Starts live in a plain hash whose refused inserts are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "tcpstate.bpf.h"
#include "tcpconnlat.h"

const volatile __u64 min_ns = 0;     /* [min_ms] */
const volatile __u32 filter_pid = 0; /* tgid; 0: any */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, struct tcpconnlat_start);
} start SEC(".maps");

/* Names the struct in the object's BTF for bpf2go's -type. */
const struct tcpconnlat_event *unused_event __attribute__((unused));

static __always_inline int connect_start(const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct tcpconnlat_start s = {};

	s.pid = bpf_get_current_pid_tgid() >> 32;
	if (filter_pid && s.pid != filter_pid)
		return 0;
	if (!family_allowed(BPF_CORE_READ(sk, __sk_common.skc_family)))
		return 0;
	s.ts_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(s.comm, sizeof(s.comm));
	update_counted(&start, &key, &s, BPF_ANY, TCPCONNLAT_FULL_START);
	return 0;
}

static __always_inline int connect_done(void *ctx, const struct sock *sk)
{
	__u64 key = (__u64)sk, now = bpf_ktime_get_ns();
	struct tcpconnlat_start *s = bpf_map_lookup_elem(&start, &key);
	struct tcpconnlat_event e = {};
	struct sk_tuple t = {};

	if (!s)
		return 0;
	e.delta_ns = now - s->ts_ns;
	e.pid = s->pid;
	__builtin_memcpy(e.comm, s->comm, sizeof(e.comm));
	bpf_map_delete_elem(&start, &key);
	if (e.delta_ns < min_ns || read_sk_tuple(sk, &t))
		return 0;
	e.ts_ns = now;
	e.af = t.af;
	e.lport = t.lport;
	e.dport = t.rport;
	__builtin_memcpy(e.saddr, t.laddr, sizeof(e.saddr));
	__builtin_memcpy(e.daddr, t.raddr, sizeof(e.daddr));
	emit(ctx, &e, sizeof(e));
	return 0;
}

static __always_inline int forget(const struct sock *sk)
{
	__u64 key = (__u64)sk;

	bpf_map_delete_elem(&start, &key);
	return 0;
}

static __always_inline int rcv_state(void *ctx, const struct sock *sk)
{
	if (BPF_CORE_READ(sk, __sk_common.skc_state) != PBX_TCP_SYN_SENT)
		return 0;
	return connect_done(ctx, sk);
}

SEC("fentry/tcp_v4_connect")
int BPF_PROG(fentry_v4_connect, struct sock *sk)
{
	return connect_start(sk);
}

SEC("fentry/tcp_v6_connect")
int BPF_PROG(fentry_v6_connect, struct sock *sk)
{
	return connect_start(sk);
}

SEC("fentry/tcp_rcv_state_process")
int BPF_PROG(fentry_rcv_state, struct sock *sk)
{
	return rcv_state(ctx, sk);
}

SEC("fentry/tcp_v4_destroy_sock")
int BPF_PROG(fentry_destroy, struct sock *sk)
{
	return forget(sk);
}

SEC("kprobe/tcp_v4_connect")
int kprobe_v4_connect(void *ctx)
{
	return connect_start((const struct sock *)pb_reg_arg(ctx, 0));
}

SEC("kprobe/tcp_v6_connect")
int kprobe_v6_connect(void *ctx)
{
	return connect_start((const struct sock *)pb_reg_arg(ctx, 0));
}

SEC("kprobe/tcp_rcv_state_process")
int kprobe_rcv_state(void *ctx)
{
	return rcv_state(ctx, (const struct sock *)pb_reg_arg(ctx, 0));
}

SEC("kprobe/tcp_v4_destroy_sock")
int kprobe_destroy(void *ctx)
{
	return forget((const struct sock *)pb_reg_arg(ctx, 0));
}

static __always_inline int on_state(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	if (newstate == PBX_TCP_SYN_SENT)
		return connect_start(sk);
	if (oldstate != PBX_TCP_SYN_SENT)
		return 0;
	if (newstate == PBX_TCP_ESTABLISHED)
		return connect_done(ctx, sk);
	return forget(sk);
}

PBX_SET_STATE_PROGRAMS(on_state)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
