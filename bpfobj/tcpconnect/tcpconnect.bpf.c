//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpconnect: active TCP connects (connect() that sent a SYN), as events or
 * counted per address pair and port (-c).
 *
 * Hooks, best first:
 *  - fexit on tcp_v4_connect / tcp_v6_connect: sees the socket after a
 *    successful connect, with its local port;
 *  - kprobe + kretprobe on the same: the entry stashes the socket per
 *    thread, the return reads it;
 *  - sock:inet_sock_set_state (tp_btf, raw tracepoint or tracepoint) on
 *    the change to SYN_SENT, which tcp_v[46]_connect makes in the
 *    connecting task. The local port is chosen only after that change, so
 *    when it is wanted (-L, -s) the event waits in `pending` until
 *    connect() returns (syscalls:sys_exit_connect) or the socket leaves
 *    SYN_SENT, whichever comes first. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "tcpsock.bpf.h"
#include "tcpconnect.h"
#include "tally.bpf.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
const volatile __u32 filter_uid = (__u32)-1;
const volatile bool do_count = false;   /* -c */
const volatile bool source_port = false; /* -s: count per local port too */
const volatile bool want_lport = false; /* -L or -s: the local port matters */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct tcpconnect_key);
	__type(value, __u64);
} counts SEC(".maps");

/* kprobe path: the socket being connected, per thread; one map per
 * function because tcp_v6_connect calls tcp_v4_connect for v4-mapped
 * addresses. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} sockets4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} sockets6 SEC(".maps");

/* Tracepoint path with the local port wanted: events waiting for it, by
 * socket address, and the socket each thread is connecting. LRU: a
 * connect made by the kernel never reaches sys_exit_connect. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct tcpconnect_event);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} connecting SEC(".maps");

static __always_inline bool task_allowed(void)
{
	if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid)
		return false;
	if (filter_uid != (__u32)-1 && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return false;
	return cgroup_allowed();
}

/* fill describes the connect from the current task's point of view. */
static __always_inline void fill(struct tcpconnect_event *e, const struct sk_tuple *t)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->ts_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->af = t->af;
	e->lport = t->lport;
	e->dport = t->rport;
	__builtin_memcpy(e->saddr, t->laddr, sizeof(e->saddr));
	__builtin_memcpy(e->daddr, t->raddr, sizeof(e->daddr));
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

static __always_inline void finish(void *ctx, struct tcpconnect_event *e)
{
	struct tcpconnect_key k = {};
	__u64 one = 1, *n;

	if (tally_mode) {
		tally(0, e->af, e->dport, e->daddr);
		return;
	}
	if (!do_count) {
		emit(ctx, e, sizeof(*e));
		return;
	}
	__builtin_memcpy(k.saddr, e->saddr, sizeof(k.saddr));
	__builtin_memcpy(k.daddr, e->daddr, sizeof(k.daddr));
	k.af = e->af;
	k.dport = e->dport;
	if (source_port)
		k.lport = e->lport;
	n = bpf_map_lookup_elem(&counts, &k);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (bpf_map_update_elem(&counts, &k, &one, BPF_NOEXIST)) {
		/* another CPU inserted it first, or the map is full */
		n = bpf_map_lookup_elem(&counts, &k);
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			count_lost();
	}
}

/* trace_connect reports a successful tcp_v[46]_connect on sk. */
static __always_inline int trace_connect(void *ctx, const struct sock *sk, bool v4hook)
{
	struct tcpconnect_event e = {};
	struct sk_tuple t = {};

	if (!sk || !task_allowed())
		return 0;
	if (read_sk_tuple(sk, &t))
		return 0;
	if (v4hook && t.af != AF_INET)
		return 0; /* v4-mapped on an IPv6 socket: tcp_v6_connect reports it */
	if (!family_allowed(t.af) || !port_allowed(t.rport))
		return 0;
	fill(&e, &t);
	finish(ctx, &e);
	return 0;
}

SEC("fexit/tcp_v4_connect")
int BPF_PROG(fexit_v4_connect, struct sock *sk, struct sockaddr *uaddr, int addr_len, int ret)
{
	if (ret)
		return 0;
	return trace_connect(ctx, sk, true);
}

SEC("fexit/tcp_v6_connect")
int BPF_PROG(fexit_v6_connect, struct sock *sk, struct sockaddr *uaddr, int addr_len, int ret)
{
	if (ret)
		return 0;
	return trace_connect(ctx, sk, false);
}

static __always_inline int stash(void *map, void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 sk = pb_reg_arg(ctx, 0);

	if (task_allowed())
		bpf_map_update_elem(map, &tid, &sk, BPF_ANY);
	return 0;
}

static __always_inline int unstash(void *map, void *ctx, bool v4hook)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *skp = bpf_map_lookup_elem(map, &tid);
	__u64 sk;

	if (!skp)
		return 0;
	sk = *skp;
	bpf_map_delete_elem(map, &tid);
	if ((int)pb_reg_ret(ctx))
		return 0;
	return trace_connect(ctx, (const struct sock *)sk, v4hook);
}

SEC("kprobe/tcp_v4_connect")
int kprobe_v4_connect(void *ctx)
{
	return stash(&sockets4, ctx);
}

SEC("kretprobe/tcp_v4_connect")
int kretprobe_v4_connect(void *ctx)
{
	return unstash(&sockets4, ctx, true);
}

SEC("kprobe/tcp_v6_connect")
int kprobe_v6_connect(void *ctx)
{
	return stash(&sockets6, ctx);
}

SEC("kretprobe/tcp_v6_connect")
int kretprobe_v6_connect(void *ctx)
{
	return unstash(&sockets6, ctx, false);
}

/* resolve completes a pending event with its local port; deleting the
 * entry is the claim, so only one of the racing completions reports it. */
static __always_inline void resolve(void *ctx, __u64 skaddr, __u16 lport)
{
	struct tcpconnect_event *p = bpf_map_lookup_elem(&pending, &skaddr);
	struct tcpconnect_event e;

	if (!p)
		return;
	e = *p;
	if (bpf_map_delete_elem(&pending, &skaddr))
		return;
	if (!lport)
		return; /* failed before the SYN went out (no local port free) */
	e.lport = lport;
	finish(ctx, &e);
}

static __always_inline int set_state(void *ctx, __u64 skaddr, int oldstate, int newstate,
				     const struct sk_tuple *t)
{
	struct tcpconnect_event e = {};
	__u32 tid;

	if (newstate != PBX_TCP_SYN_SENT) {
		if (oldstate == PBX_TCP_SYN_SENT && want_lport)
			resolve(ctx, skaddr, t->lport);
		return 0;
	}
	if (t->af != AF_INET && t->af != AF_INET6)
		return 0;
	if (!task_allowed() || !family_allowed(t->af) || !port_allowed(t->rport))
		return 0;
	fill(&e, t);
	if (!want_lport || e.lport) {
		finish(ctx, &e);
		return 0;
	}
	tid = e.tid;
	bpf_map_update_elem(&pending, &skaddr, &e, BPF_ANY);
	bpf_map_update_elem(&connecting, &tid, &skaddr, BPF_ANY);
	return 0;
}

static __always_inline int sk_state(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	struct sk_tuple t = {};

	if (newstate != PBX_TCP_SYN_SENT && oldstate != PBX_TCP_SYN_SENT)
		return 0;
	if (sk_proto(sk) != IPPROTO_TCP)
		return 0;
	read_sk_tuple(sk, &t);
	return set_state(ctx, (__u64)sk, oldstate, newstate, &t);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(btf_set_state, const struct sock *sk, int oldstate, int newstate)
{
	return sk_state(ctx, sk, oldstate, newstate);
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(raw_set_state, const struct sock *sk, int oldstate, int newstate)
{
	return sk_state(ctx, sk, oldstate, newstate);
}

SEC("tracepoint/sock/inet_sock_set_state")
int tp_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct sk_tuple t = {};
	int oldstate = ctx->oldstate, newstate = ctx->newstate;

	if (newstate != PBX_TCP_SYN_SENT && oldstate != PBX_TCP_SYN_SENT)
		return 0;
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	t.af = ctx->family;
	t.lport = ctx->sport;
	t.rport = ctx->dport;
	/* copied with a helper: the verifier refuses loads through a ctx
	 * pointer the compiler has moved to the array */
	if (t.af == AF_INET) {
		bpf_core_read(t.laddr, 4, &ctx->saddr);
		bpf_core_read(t.raddr, 4, &ctx->daddr);
	} else {
		bpf_core_read(t.laddr, 16, &ctx->saddr_v6);
		bpf_core_read(t.raddr, 16, &ctx->daddr_v6);
	}
	return set_state(ctx, (__u64)ctx->skaddr, oldstate, newstate, &t);
}

/* connect() returned: the local port of the socket this thread moved to
 * SYN_SENT has been chosen by now. */
SEC("tracepoint/syscalls/sys_exit_connect")
int tp_exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *skp = bpf_map_lookup_elem(&connecting, &tid);
	__u64 skaddr;

	if (!skp)
		return 0;
	skaddr = *skp;
	bpf_map_delete_elem(&connecting, &tid);
	resolve(ctx, skaddr, sk_lport((const struct sock *)skaddr));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
