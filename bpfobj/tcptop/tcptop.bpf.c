//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcptop: bytes sent and received per process and TCP connection,
 * summed in the kernel per interval.
 *
 * Hooks, best first: fentry, else kprobes, on tcp_sendmsg (bytes asked
 * to send) and tcp_cleanup_rbuf (bytes copied to the reader); else the
 * sock:sock_send_length and sock:sock_recv_length tracepoints (6.3+),
 * which see what sock_sendmsg / sock_recvmsg returned for TCP sockets.
 * -p, -c and -4/-6 filter here; the flows map is a plain hash whose
 * refused inserts are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "sockfd.bpf.h"
#include "tcptop.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */

#define PBX_MSG_PEEK 2

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct tcptop_key);
	__type(value, struct tcptop_traffic);
} flows SEC(".maps");

const struct tcptop_key *unused_key __attribute__((unused));
const struct tcptop_traffic *unused_traffic __attribute__((unused));

static __always_inline int account(const struct sock *sk, long size, bool sent)
{
	static const struct tcptop_traffic zero;
	struct tcptop_traffic *v;
	struct tcptop_key k = {};
	struct sk_tuple t = {};
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	if (size <= 0 || !sk)
		return 0;
	if (filter_pid && pid != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	if (read_sk_tuple(sk, &t) || !family_allowed(t.af))
		return 0;
	k.pid = pid;
	k.family = t.af;
	k.lport = t.lport;
	k.dport = t.rport;
	__builtin_memcpy(k.saddr, t.laddr, sizeof(k.saddr));
	__builtin_memcpy(k.daddr, t.raddr, sizeof(k.daddr));
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	v = bpf_map_lookup_elem(&flows, &k);
	if (!v) {
		update_counted(&flows, &k, &zero, BPF_NOEXIST, TCPTOP_FULL_FLOWS);
		v = bpf_map_lookup_elem(&flows, &k);
		if (!v)
			return 0;
	}
	if (sent)
		__sync_fetch_and_add(&v->sent, size);
	else
		__sync_fetch_and_add(&v->received, size);
	return 0;
}

SEC("fentry/tcp_sendmsg")
int BPF_PROG(fentry_sendmsg, struct sock *sk, struct msghdr *msg, size_t size)
{
	return account(sk, size, true);
}

SEC("fentry/tcp_cleanup_rbuf")
int BPF_PROG(fentry_cleanup_rbuf, struct sock *sk, int copied)
{
	return account(sk, copied, false);
}

SEC("kprobe/tcp_sendmsg")
int kprobe_sendmsg(void *ctx)
{
	return account((const struct sock *)pb_reg_arg(ctx, 0), (long)pb_reg_arg(ctx, 2), true);
}

SEC("kprobe/tcp_cleanup_rbuf")
int kprobe_cleanup_rbuf(void *ctx)
{
	return account((const struct sock *)pb_reg_arg(ctx, 0), (int)pb_reg_arg(ctx, 1), false);
}

static __always_inline int msg_length(const struct sock *sk, int ret, int flags, bool sent)
{
	if (!sk || sk_proto(sk) != IPPROTO_TCP || (!sent && (flags & PBX_MSG_PEEK)))
		return 0;
	return account(sk, ret, sent);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(btf_send_length, struct sock *sk, int ret, int flags)
{
	return msg_length(sk, ret, flags, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(btf_recv_length, struct sock *sk, int ret, int flags)
{
	return msg_length(sk, ret, flags, false);
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(raw_send_length, struct sock *sk, int ret, int flags)
{
	return msg_length(sk, ret, flags, true);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(raw_recv_length, struct sock *sk, int ret, int flags)
{
	return msg_length(sk, ret, flags, false);
}

static __always_inline int tp_length(struct trace_event_raw_sock_msg_length *ctx, bool sent)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	return msg_length(ctx->sk, ctx->ret, ctx->flags, sent);
}

SEC("tracepoint/sock/sock_send_length")
int tp_send_length(struct trace_event_raw_sock_msg_length *ctx)
{
	return tp_length(ctx, true);
}

SEC("tracepoint/sock/sock_recv_length")
int tp_recv_length(struct trace_event_raw_sock_msg_length *ctx)
{
	return tp_length(ctx, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
