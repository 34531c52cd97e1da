//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpaccept: TCP connections handed to a process by accept().
 *
 * Hooks, best first:
 *  - fexit on inet_csk_accept: the new socket is its return value;
 *  - kretprobe on inet_csk_accept: the same, from the return register;
 *  - syscalls:sys_exit_accept and sys_exit_accept4: the returned fd is
 *    looked up in the task's file table, task->files->fdt->fd[fd], whose
 *    private_data is the struct socket. Accepts made through io_uring
 *    never pass there.
 * All three run in the accepting task, so PID and comm are the
 * acceptor's. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "tcpsock.bpf.h"
#include "tcpaccept.h"
#include "tally.bpf.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */

/* Keeps the event type in BTF for bpf2go (no map names it). */
const struct tcpaccept_event *unused_event __attribute__((unused));

static __always_inline int trace_accept(void *ctx, const struct sock *sk)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct tcpaccept_event e = {};
	struct sk_tuple t = {};

	if (!sk)
		return 0;
	if (filter_pid && (id >> 32) != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	if (sk_proto(sk) != IPPROTO_TCP)
		return 0;
	if (read_sk_tuple(sk, &t))
		return 0;
	if (!family_allowed(t.af) || !port_allowed(t.lport))
		return 0;
	if (tally_mode) {
		/* The port that matters on an accept is the listening one. */
		tally(0, t.af, t.lport, t.raddr);
		return 0;
	}
	e.ts_ns = bpf_ktime_get_ns();
	e.pid = id >> 32;
	e.tid = (__u32)id;
	e.af = t.af;
	e.lport = t.lport;
	e.rport = t.rport;
	__builtin_memcpy(e.laddr, t.laddr, sizeof(e.laddr));
	__builtin_memcpy(e.raddr, t.raddr, sizeof(e.raddr));
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	emit(ctx, &e, sizeof(e));
	return 0;
}

/* fexit's context is the arguments followed by the return value, and
 * inet_csk_accept lost two arguments to struct proto_accept_arg in 6.10. */
SEC("fexit/inet_csk_accept")
int fexit_accept(__u64 *ctx)
{
	__u64 ret = 0;

	/* bpf_get_func_ret finds the return value's slot for either
	 * signature; a ctx offset chosen at run time is refused by the
	 * verifier. */
	if (bpf_get_func_ret(ctx, &ret))
		return 0;
	return trace_accept(ctx, (struct sock *)ret);
}

SEC("kretprobe/inet_csk_accept")
int kretprobe_accept(void *ctx)
{
	return trace_accept(ctx, (const struct sock *)pb_reg_ret(ctx));
}

/* sock_from_fd finds the socket behind the current task's file
 * descriptor fd, or NULL. The checks make a racing close()/dup2() of the
 * new fd yield nothing rather than a wrong socket. */
static __always_inline struct sock *sock_from_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct socket *sock;
	struct file *f = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_core_read(&f, sizeof(f), &fds[fd]) || !f)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	if (!sock || BPF_CORE_READ(sock, file) != f)
		return NULL;
	return BPF_CORE_READ(sock, sk);
}

static __always_inline int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	long fd = ctx->ret;

	if (fd < 0)
		return 0;
	if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid)
		return 0; /* before walking the file table */
	return trace_accept(ctx, sock_from_fd(fd));
}

SEC("tracepoint/syscalls/sys_exit_accept")
int tp_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return exit_accept(ctx);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return exit_accept(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
