//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpsubnet: bytes sent over TCP, summed per destination subnet in the
 * kernel. The first subnet of the list that holds the destination takes
 * the bytes (so a catch-all such as 0.0.0.0/0 goes last).
 *
 * Hooks, best first: fentry, else kprobe, on tcp_sendmsg (bytes asked to
 * send, as bcc and libbpf-tools); else the sock:sock_send_length
 * tracepoint (6.3+), which sees what sock_sendmsg returned on TCP sockets.
 * Counters are cumulative per subnet (an array: nothing to fill); user
 * space prints the difference each interval, so no send is lost between
 * a read and a reset. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "tcpsock.bpf.h"
#include "tcpsubnet.h"

const volatile struct tcpsubnet_net nets[TCPSUBNET_MAX_NETS] = {};
const volatile __u32 nets_len = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TCPSUBNET_MAX_NETS);
	__type(key, __u32);
	__type(value, __u64);
} sent SEC(".maps");


static __always_inline bool in_net(const volatile struct tcpsubnet_net *n, __u16 af, const __u8 *addr)
{
	const __u32 *a = (const __u32 *)addr;
	const volatile __u32 *net = (const volatile __u32 *)n->net;
	const volatile __u32 *mask = (const volatile __u32 *)n->mask;

	if (n->family != af)
		return false;
	return (a[0] & mask[0]) == net[0] && (a[1] & mask[1]) == net[1] &&
	       (a[2] & mask[2]) == net[2] && (a[3] & mask[3]) == net[3];
}

/* An IPv6 socket talking to an IPv4 peer has it as ::ffff:a.b.c.d: it
 * is matched against the IPv4 subnets. */
static __always_inline void unmap_v4(__u16 *af, __u8 *addr)
{
	__u32 *a = (__u32 *)addr;

	if (*af != AF_INET6 || a[0] || a[1] || a[2] != bpf_htonl(0xffff))
		return;
	*af = AF_INET;
	a[0] = a[3];
	a[1] = a[2] = a[3] = 0;
}

static __always_inline int account(const struct sock *sk, long size)
{
	__u8 daddr[16] = {};
	__u16 af;
	__u32 i;

	if (size <= 0 || !sk)
		return 0;
	af = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (af == AF_INET)
		bpf_core_read(daddr, 4, &sk->__sk_common.skc_daddr);
	else if (af == AF_INET6)
		bpf_core_read(daddr, 16, &sk->__sk_common.skc_v6_daddr);
	else
		return 0;
	unmap_v4(&af, daddr);
	for (i = 0; i < TCPSUBNET_MAX_NETS && i < nets_len; i++) {
		if (in_net(&nets[i], af, daddr)) {
			__u64 *v = bpf_map_lookup_elem(&sent, &i);

			if (v)
				*v += size; /* per-CPU: no other CPU writes it */
			break;
		}
	}
	return 0;
}

SEC("fentry/tcp_sendmsg")
int BPF_PROG(fentry_sendmsg, struct sock *sk, struct msghdr *msg, size_t size)
{
	return account(sk, size);
}

SEC("kprobe/tcp_sendmsg")
int kprobe_sendmsg(void *ctx)
{
	return account((const struct sock *)pb_reg_arg(ctx, 0), (long)pb_reg_arg(ctx, 2));
}

static __always_inline int send_length(const struct sock *sk, int ret)
{
	if (!sk || sk_proto(sk) != IPPROTO_TCP)
		return 0;
	return account(sk, ret);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(btf_send_length, struct sock *sk, int ret, int flags)
{
	return send_length(sk, ret);
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(raw_send_length, struct sock *sk, int ret, int flags)
{
	return send_length(sk, ret);
}

SEC("tracepoint/sock/sock_send_length")
int tp_send_length(struct trace_event_raw_sock_msg_length *ctx)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	return send_length(ctx->sk, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
