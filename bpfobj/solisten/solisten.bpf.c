//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* solisten: listen() on IPv4 and IPv6 sockets, with the backlog, the
 * result and the address listened on.
 *
 * Hooks, best first: fexit on inet_listen; kprobe + kretprobe on it (the
 * entry stashes the socket and backlog per thread); the listen syscall's
 * tracepoints (enter stashes fd and backlog, exit finds the socket
 * through the task's file table). Pending listens live in a plain hash
 * whose refused inserts are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "sockfd.bpf.h"
#include "stash.bpf.h"
#include "solisten.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */

/* Entry arguments of kprobe and syscall paths, per thread (stash.bpf.h). */
PB_STASH(pending, struct solisten_args, 4096, 0);

const struct solisten_event *unused_event __attribute__((unused));

static __always_inline bool pid_allowed(void)
{
	return !filter_pid || (bpf_get_current_pid_tgid() >> 32) == filter_pid;
}

static __always_inline int report(void *ctx, const struct socket *sock, __u32 backlog, int ret)
{
	struct solisten_event e = {};
	struct sock *sk;

	if (!sock)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	e.af = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (e.af == AF_INET)
		bpf_core_read(e.addr, 4, &sk->__sk_common.skc_rcv_saddr);
	else if (e.af == AF_INET6)
		bpf_core_read(e.addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
	else
		return 0; /* unix and other families: not inet_listen's */
	e.type = BPF_CORE_READ(sock, type);
	e.port = sk_lport(sk);
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.ret = ret;
	e.backlog = backlog;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	emit(ctx, &e, sizeof(e));
	return 0;
}

SEC("fexit/inet_listen")
int BPF_PROG(fexit_listen, struct socket *sock, int backlog, int ret)
{
	if (!pid_allowed())
		return 0;
	return report(ctx, sock, backlog, ret);
}

static __always_inline void stash(__u64 sock, int fd, __u32 backlog)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct solisten_args *a;

	if (!pid_allowed())
		return;
	a = pending_start(tid);
	if (!a) {
		count_full(SOLISTEN_FULL_PENDING);
		return;
	}
	a->sock = sock;
	a->fd = fd;
	a->backlog = backlog;
}

static __always_inline struct solisten_args *unstash(struct solisten_args *copy)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct solisten_args *a = pending_find(tid);

	if (!a)
		return NULL;
	*copy = *a;
	pending_done(tid, a);
	return copy;
}

SEC("kprobe/inet_listen")
int kprobe_listen(void *ctx)
{
	stash(pb_reg_arg(ctx, 0), -1, (__u32)pb_reg_arg(ctx, 1));
	return 0;
}

SEC("kretprobe/inet_listen")
int kretprobe_listen(void *ctx)
{
	struct solisten_args a;

	if (!unstash(&a))
		return 0;
	return report(ctx, (const struct socket *)a.sock, a.backlog, (int)pb_reg_ret(ctx));
}

SEC("tracepoint/syscalls/sys_enter_listen")
int tp_enter_listen(struct trace_event_raw_sys_enter *ctx)
{
	stash(0, (int)BPF_CORE_READ(ctx, args[0]), (__u32)BPF_CORE_READ(ctx, args[1]));
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_listen")
int tp_exit_listen(struct trace_event_raw_sys_exit *ctx)
{
	struct solisten_args a;
	int ret = BPF_CORE_READ(ctx, ret);

	if (!unstash(&a))
		return 0;
	/* No socket behind the fd (EBADF, ENOTSOCK), or not a stream
	 * socket (EOPNOTSUPP): inet_listen never ran. */
	if (ret == -9 || ret == -88 || ret == -95)
		return 0;
	return report(ctx, fd_socket(a.fd), a.backlog, ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
