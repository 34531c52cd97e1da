//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* bindsnoop: bind() on IPv4 and IPv6 sockets with the result, the
 * protocol, the socket options that change binding (IP_FREEBIND,
 * IP_TRANSPARENT, IP_BIND_ADDRESS_NO_PORT, SO_REUSEADDR, SO_REUSEPORT),
 * the bound device, port and address.
 *
 * Hooks, best first: fexit on inet_bind / inet6_bind; kprobes +
 * kretprobes on them (the entry stashes socket and address per thread);
 * the bind syscall's tracepoints (the socket found from the fd at exit).
 * A successful bind reports what the socket was bound to (the port the
 * kernel chose for port 0); a failed one (-x) what was asked for. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "sockfd.bpf.h"
#include "stash.bpf.h"
#include "bindsnoop.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
const volatile bool ignore_errors = true;

/* Entry arguments of kprobe and syscall paths, per thread (stash.bpf.h). */
PB_STASH(pending, struct bindsnoop_args, 4096, 0);

const struct bindsnoop_event *unused_event __attribute__((unused));

/* Before 6.6 the inet options were bitfields of inet_sock. */
struct inet_sock___old {
	__u8 freebind : 1;
	__u8 transparent : 1;
	__u8 bind_address_no_port : 1;
} __attribute__((preserve_access_index));

/* Since 6.6 they are bits of inet_flags (an anonymous enum's values). */
struct inet_sock___new {
	unsigned long inet_flags;
} __attribute__((preserve_access_index));

#define PBX_INET_FLAGS_FREEBIND 11
#define PBX_INET_FLAGS_TRANSPARENT 15
#define PBX_INET_FLAGS_BIND_ADDRESS_NO_PORT 18

static __always_inline __u8 bind_opts(const struct sock *sk)
{
	__u8 opts = 0;

	if (bpf_core_field_exists(((struct inet_sock___new *)0)->inet_flags)) {
		unsigned long f = BPF_CORE_READ((struct inet_sock___new *)sk, inet_flags);

		opts |= (f >> PBX_INET_FLAGS_FREEBIND) & 1 ? BINDSNOOP_FREEBIND : 0;
		opts |= (f >> PBX_INET_FLAGS_TRANSPARENT) & 1 ? BINDSNOOP_TRANSPARENT : 0;
		opts |= (f >> PBX_INET_FLAGS_BIND_ADDRESS_NO_PORT) & 1 ? BINDSNOOP_NO_PORT : 0;
	} else {
		const struct inet_sock___old *old = (const void *)sk;

		opts |= BPF_CORE_READ_BITFIELD_PROBED(old, freebind) ? BINDSNOOP_FREEBIND : 0;
		opts |= BPF_CORE_READ_BITFIELD_PROBED(old, transparent) ? BINDSNOOP_TRANSPARENT : 0;
		opts |= BPF_CORE_READ_BITFIELD_PROBED(old, bind_address_no_port) ? BINDSNOOP_NO_PORT : 0;
	}
	opts |= BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuse) ? BINDSNOOP_REUSEADDR : 0;
	opts |= BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuseport) ? BINDSNOOP_REUSEPORT : 0;
	return opts;
}

/* read_asked copies the port and address of the sockaddr bind was given. */
static __always_inline void read_asked(struct bindsnoop_event *e, __u64 uaddr, bool user)
{
	__u16 port = 0;
	long off = e->af == AF_INET ? 4 : 8; /* sin_addr, sin6_addr */
	__u32 n = e->af == AF_INET ? 4 : 16;

	if (!uaddr)
		return;
	if (user) {
		bpf_probe_read_user(&port, sizeof(port), (void *)(uaddr + 2));
		bpf_probe_read_user(e->addr, n & 31, (void *)(uaddr + off));
	} else {
		bpf_probe_read_kernel(&port, sizeof(port), (void *)(uaddr + 2));
		bpf_probe_read_kernel(e->addr, n & 31, (void *)(uaddr + off));
	}
	e->port = bpf_ntohs(port);
}

static __always_inline int report(void *ctx, const struct socket *sock, __u64 uaddr, bool user, int ret)
{
	struct bindsnoop_event e = {};
	struct sock *sk;

	if (ret && ignore_errors)
		return 0;
	if (!sock)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	e.af = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (e.af != AF_INET && e.af != AF_INET6)
		return 0;
	if (ret) {
		read_asked(&e, uaddr, user);
	} else {
		e.port = sk_lport(sk);
		if (e.af == AF_INET)
			bpf_core_read(e.addr, 4, &sk->__sk_common.skc_rcv_saddr);
		else
			bpf_core_read(e.addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
	}
	if (!port_allowed(e.port))
		return 0;
	e.proto = sk_proto(sk);
	e.opts = bind_opts(sk);
	e.bound_dev_if = BPF_CORE_READ(sk, __sk_common.skc_bound_dev_if);
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.ret = ret;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	emit(ctx, &e, sizeof(e));
	return 0;
}

static __always_inline bool pid_allowed(void)
{
	if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid)
		return false;
	return cgroup_allowed();
}

SEC("fexit/inet_bind")
int BPF_PROG(fexit_bind, struct socket *sock, struct sockaddr *uaddr, int addr_len, int ret)
{
	return pid_allowed() ? report(ctx, sock, (__u64)uaddr, false, ret) : 0;
}

SEC("fexit/inet6_bind")
int BPF_PROG(fexit_bind6, struct socket *sock, struct sockaddr *uaddr, int addr_len, int ret)
{
	return pid_allowed() ? report(ctx, sock, (__u64)uaddr, false, ret) : 0;
}

static __always_inline void stash(__u64 sock, __u64 uaddr, int fd)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct bindsnoop_args *a;

	if (!pid_allowed())
		return;
	a = pending_start(tid);
	if (!a) {
		count_full(BINDSNOOP_FULL_PENDING);
		return;
	}
	a->sock = sock;
	a->uaddr = uaddr;
	a->fd = fd;
}

static __always_inline bool unstash(struct bindsnoop_args *copy)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct bindsnoop_args *a = pending_find(tid);

	if (!a)
		return false;
	*copy = *a;
	pending_done(tid, a);
	return true;
}

SEC("kprobe/inet_bind")
int kprobe_bind(void *ctx)
{
	stash(pb_reg_arg(ctx, 0), pb_reg_arg(ctx, 1), -1);
	return 0;
}

SEC("kprobe/inet6_bind")
int kprobe_bind6(void *ctx)
{
	stash(pb_reg_arg(ctx, 0), pb_reg_arg(ctx, 1), -1);
	return 0;
}

static __always_inline int kret(void *ctx)
{
	struct bindsnoop_args a;

	if (!unstash(&a))
		return 0;
	return report(ctx, (const struct socket *)a.sock, a.uaddr, false, (int)pb_reg_ret(ctx));
}

SEC("kretprobe/inet_bind")
int kretprobe_bind(void *ctx)
{
	return kret(ctx);
}

SEC("kretprobe/inet6_bind")
int kretprobe_bind6(void *ctx)
{
	return kret(ctx);
}

SEC("tracepoint/syscalls/sys_enter_bind")
int tp_enter_bind(struct trace_event_raw_sys_enter *ctx)
{
	stash(0, BPF_CORE_READ(ctx, args[1]), (int)BPF_CORE_READ(ctx, args[0]));
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_bind")
int tp_exit_bind(struct trace_event_raw_sys_exit *ctx)
{
	struct bindsnoop_args a;
	int ret = BPF_CORE_READ(ctx, ret);

	if (!unstash(&a))
		return 0;
	/* No socket behind the fd (EBADF, ENOTSOCK), or a bad address
	 * (EFAULT): inet_bind never ran. */
	if (ret == -9 || ret == -88 || ret == -14)
		return 0;
	return report(ctx, fd_socket(a.fd), a.uaddr, true, ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
