//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcptracer: TCP connections connected (C), accepted (A) and closed (X)
 * with their addresses.
 *
 * Connects: the change to SYN_SENT, made by connect() in the connecting
 * task, records who connected (by socket); SYN_SENT -> ESTABLISHED
 * reports it. Accepts: the return of inet_csk_accept (fexit, kretprobe),
 * else of the accept()/accept4() syscalls with the new fd's socket.
 * Closes of established connections: tcp_close (fentry, kprobe), else the
 * changes close() makes in the closing task (ESTABLISHED -> FIN_WAIT1 or
 * CLOSE, CLOSE_WAIT -> LAST_ACK or CLOSE). -p, -u, -N, -4/-6 filter here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "sockfd.bpf.h"
#include "tcpstate.bpf.h"
#include "tcptracer.h"

#define PBX_TCP_CLOSE_WAIT 8

const volatile __u32 filter_pid = 0;           /* tgid; 0: any */
const volatile __u32 filter_uid = (__u32)-1;   /* -u */
const volatile __u32 filter_netns = 0;         /* -N inode; 0: any */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, struct tcptracer_who);
} connecting SEC(".maps");

const struct tcptracer_event *unused_event __attribute__((unused));

static __always_inline __u32 sk_netns(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

static __always_inline bool task_allowed(void)
{
	if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid)
		return false;
	return filter_uid == (__u32)-1 || (__u32)bpf_get_current_uid_gid() == filter_uid;
}

/* report emits an event about sk for the given task. */
static __always_inline int report(void *ctx, const struct sock *sk, __u8 type, const struct tcptracer_who *who)
{
	struct tcptracer_event e = {};
	struct sk_tuple t = {};

	if (!sk || read_sk_tuple(sk, &t) || !family_allowed(t.af))
		return 0;
	e.netns = sk_netns(sk);
	if (filter_netns && e.netns != filter_netns)
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.type = type;
	e.af = t.af;
	e.sport = t.lport;
	e.dport = t.rport;
	__builtin_memcpy(e.saddr, t.laddr, sizeof(e.saddr));
	__builtin_memcpy(e.daddr, t.raddr, sizeof(e.daddr));
	if (who) {
		e.pid = who->pid;
		e.uid = who->uid;
		__builtin_memcpy(e.comm, who->comm, sizeof(e.comm));
	} else {
		e.pid = bpf_get_current_pid_tgid() >> 32;
		e.uid = (__u32)bpf_get_current_uid_gid();
		bpf_get_current_comm(e.comm, sizeof(e.comm));
	}
	emit(ctx, &e, sizeof(e));
	return 0;
}

/* close_state: whether a change is one close() makes on an established
 * connection. */
static __always_inline bool close_state(int oldstate, int newstate)
{
	if (oldstate == PBX_TCP_ESTABLISHED)
		return newstate == PBX_TCP_FIN_WAIT1 || newstate == PBX_TCP_CLOSE;
	if (oldstate == PBX_TCP_CLOSE_WAIT)
		return newstate == PBX_TCP_LAST_ACK || newstate == PBX_TCP_CLOSE;
	return false;
}

static __always_inline int on_state(void *ctx, const struct sock *sk, int oldstate, int newstate, bool closes)
{
	__u64 key = (__u64)sk;

	if (newstate == PBX_TCP_SYN_SENT) {
		struct tcptracer_who who = {};

		if (!task_allowed())
			return 0;
		who.pid = bpf_get_current_pid_tgid() >> 32;
		who.uid = (__u32)bpf_get_current_uid_gid();
		bpf_get_current_comm(who.comm, sizeof(who.comm));
		update_counted(&connecting, &key, &who, BPF_ANY, TCPTRACER_FULL_CONNECTING);
		return 0;
	}
	if (oldstate == PBX_TCP_SYN_SENT) {
		struct tcptracer_who *who = bpf_map_lookup_elem(&connecting, &key);
		struct tcptracer_who copy;

		if (!who)
			return 0;
		copy = *who;
		bpf_map_delete_elem(&connecting, &key);
		if (newstate == PBX_TCP_ESTABLISHED)
			report(ctx, sk, TCPTRACER_CONNECT, &copy);
		return 0;
	}
	if (closes && close_state(oldstate, newstate) && task_allowed())
		report(ctx, sk, TCPTRACER_CLOSE, 0);
	return 0;
}

static __always_inline int state_connects(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	return on_state(ctx, sk, oldstate, newstate, false);
}

static __always_inline int state_all(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	return on_state(ctx, sk, oldstate, newstate, true);
}

/* Connects only (the function candidates see closes in tcp_close). */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(btf_state_connect, const struct sock *sk, int oldstate, int newstate)
{
	if (sk_proto(sk) != IPPROTO_TCP)
		return 0;
	return state_connects(ctx, sk, oldstate, newstate);
}

/* Connects and closes: btf_set_state, raw_set_state, tp_set_state. */
PBX_SET_STATE_PROGRAMS(state_all)

static __always_inline int accepted(void *ctx, const struct sock *sk)
{
	if (!task_allowed())
		return 0;
	return report(ctx, sk, TCPTRACER_ACCEPT, 0);
}

/* The return value through bpf_get_func_ret: inet_csk_accept's arguments
 * changed in 6.10 (flags, err, kern became one struct). */
SEC("fexit/inet_csk_accept")
int fexit_accept(unsigned long long *ctx)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return accepted(ctx, (const struct sock *)ret);
}

SEC("kretprobe/inet_csk_accept")
int kretprobe_accept(void *ctx)
{
	return accepted(ctx, (const struct sock *)pb_reg_ret(ctx));
}

static __always_inline int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	long fd = BPF_CORE_READ(ctx, ret);
	struct socket *sock;

	if (fd < 0)
		return 0;
	sock = fd_socket(fd);
	if (!sock)
		return 0;
	return accepted(ctx, BPF_CORE_READ(sock, sk));
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return exit_accept(ctx);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int tp_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return exit_accept(ctx);
}

static __always_inline int closing(void *ctx, const struct sock *sk)
{
	int state = BPF_CORE_READ(sk, __sk_common.skc_state);

	/* tcp_close of an established (or half-closed) connection */
	if (state != PBX_TCP_ESTABLISHED && state != PBX_TCP_CLOSE_WAIT)
		return 0;
	if (sk_proto(sk) != IPPROTO_TCP || !task_allowed())
		return 0;
	return report(ctx, sk, TCPTRACER_CLOSE, 0);
}

SEC("fentry/tcp_close")
int BPF_PROG(fentry_close, struct sock *sk)
{
	return closing(ctx, sk);
}

SEC("kprobe/tcp_close")
int kprobe_close(void *ctx)
{
	return closing(ctx, (const struct sock *)pb_reg_arg(ctx, 0));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
