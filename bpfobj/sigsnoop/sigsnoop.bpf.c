//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sigsnoop and killsnoop: signals sent. Default: every signal the kernel
 * generates (signal:signal_generate), whoever sends it. -k / killsnoop:
 * kill(), tkill() and tgkill() syscalls with their result; the target's
 * name comes from signal_generate, which fires inside the syscall. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "stash.bpf.h"
#include "sigsnoop.h"

const volatile __u32 filter_pid = 0;     /* sender tgid; 0: any */
const volatile __u64 filter_signals = 0; /* bit sig-1; 0: any */
const volatile bool failed_only = false;

/* A kill-family syscall in flight, per thread (stash.bpf.h). */
PB_STASH(inflight, struct signal_event, 10240, 0);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct signal_event);
} scratch SEC(".maps");

static __always_inline bool wanted(__u32 tgid, int sig)
{
	if (filter_pid && tgid != filter_pid)
		return false;
	if (filter_signals && (sig < 1 || sig > 64 || !(filter_signals & (1ULL << (sig - 1)))))
		return false;
	return cgroup_allowed();
}

/* ---- default mode: signal_generate ---- */

static __always_inline int generated(void *ctx, int sig, int result, __s32 tpid, const char *tcomm)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	struct signal_event *e;

	if (!wanted(tgid, sig))
		return 0;
	if (failed_only && result == 0)
		return 0;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = tgid;
	e->tid = (__u32)id;
	e->tpid = tpid;
	e->sig = sig;
	e->ret = result;
	e->source = SIG_SRC_GENERATE;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->tcomm, sizeof(e->tcomm), tcomm);
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

/* signal_generate(int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result) */
SEC("tp_btf/signal_generate")
int btf_signal_generate(u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[2];

	return generated(ctx, (int)ctx[0], (int)ctx[4], BPF_CORE_READ(task, tgid), task->comm);
}

SEC("raw_tp/signal_generate")
int raw_signal_generate(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[2];

	return generated(ctx, (int)ctx->args[0], (int)ctx->args[4], BPF_CORE_READ(task, tgid), task->comm);
}

SEC("tracepoint/signal/signal_generate")
int tp_signal_generate(struct trace_event_raw_signal_generate *ctx)
{
	/* A tracepoint context is read at fixed offsets only: the array goes
	 * through the probe-read helper. */
	return generated(ctx, ctx->sig, ctx->result, ctx->pid, ctx->comm);
}

/* ---- -k mode: kill(), tkill(), tgkill() ---- */

static __always_inline int kill_enter(__s32 tpid, int sig, __u32 source)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;
	struct signal_event e = {}, *s;

	if (!wanted(tgid, sig))
		return 0;
	e.pid = tgid;
	e.tid = tid;
	e.tpid = tpid;
	e.sig = sig;
	e.source = source;
	s = inflight_start(tid);
	if (!s) {
		count_full(0);
		return 0;
	}
	*s = e; /* whole: tcomm empty until signal_generate names the target */
	return 0;
}

static __always_inline int kill_exit(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct signal_event *in, *e;

	in = inflight_find(tid);
	if (!in)
		return 0;
	if (failed_only && ret >= 0)
		goto out;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		goto out;
	__builtin_memcpy(e, in, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->ret = ret;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	event_submit(ctx, e, sizeof(*e));
out:
	inflight_done(tid, in);
	return 0;
}

/* Inside a kill-family syscall, signal_generate names the target. */
SEC("tracepoint/signal/signal_generate")
int tp_kill_target(struct trace_event_raw_signal_generate *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct signal_event *in = inflight_find(tid);

	if (in && !in->tcomm[0])
		bpf_probe_read_kernel(in->tcomm, sizeof(in->tcomm), ctx->comm);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_kill")
int tp_enter_kill(struct trace_event_raw_sys_enter *ctx)
{
	return kill_enter(ctx->args[0], ctx->args[1], SIG_SRC_KILL);
}

SEC("tracepoint/syscalls/sys_enter_tkill")
int tp_enter_tkill(struct trace_event_raw_sys_enter *ctx)
{
	return kill_enter(ctx->args[0], ctx->args[1], SIG_SRC_TKILL);
}

SEC("tracepoint/syscalls/sys_enter_tgkill")
int tp_enter_tgkill(struct trace_event_raw_sys_enter *ctx)
{
	return kill_enter(ctx->args[1], ctx->args[2], SIG_SRC_TGKILL);
}

SEC("tracepoint/syscalls/sys_exit_kill")
int tp_exit_kill(struct trace_event_raw_sys_exit *ctx)
{
	return kill_exit(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_tkill")
int tp_exit_tkill(struct trace_event_raw_sys_exit *ctx)
{
	return kill_exit(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_tgkill")
int tp_exit_tgkill(struct trace_event_raw_sys_exit *ctx)
{
	return kill_exit(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
