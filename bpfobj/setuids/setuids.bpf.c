//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* setuids: the setuid and setgid syscall families (privilege changes)
 * with the caller's ids before the call, the ids asked for and the
 * result. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "stash.bpf.h"
#include "setuids.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
const volatile bool failed_only = false;

/* The event under way from entry to exit, per thread (stash.bpf.h). */
PB_STASH(inflight, struct setid_event, 10240, 0);

static __always_inline int enter(struct trace_event_raw_sys_enter *ctx, __u32 syscall, int nargs)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ugid = bpf_get_current_uid_gid();
	__u32 tid = (__u32)id;
	struct setid_event *e;

	if (filter_pid && (id >> 32) != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	e = inflight_start(tid);
	if (!e) {
		count_full(0);
		return 0;
	}
	e->pid = id >> 32;
	e->tid = tid;
	e->uid = (__u32)ugid;
	e->gid = ugid >> 32;
	e->syscall = syscall;
	e->args[0] = ctx->args[0];
	e->args[1] = nargs > 1 ? (__s32)ctx->args[1] : 0;
	e->args[2] = nargs > 2 ? (__s32)ctx->args[2] : 0;
	return 0;
}

static __always_inline int exit_(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct setid_event *e = inflight_find(tid);

	if (!e)
		return 0;
	/* setfsuid/setfsgid return the previous id, never an error. */
	if (failed_only && (ret >= 0 || e->syscall == SETID_SETFSUID || e->syscall == SETID_SETFSGID))
		goto out;
	e->ts_ns = bpf_ktime_get_ns();
	e->ret = ret;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	emit(ctx, e, sizeof(*e));
out:
	inflight_done(tid, e);
	return 0;
}

#define SETID(name, nr, nargs)                                            \
	SEC("tracepoint/syscalls/sys_enter_" #name)                       \
	int tp_enter_##name(struct trace_event_raw_sys_enter *ctx)        \
	{                                                                 \
		return enter(ctx, nr, nargs);                             \
	}                                                                 \
	SEC("tracepoint/syscalls/sys_exit_" #name)                        \
	int tp_exit_##name(struct trace_event_raw_sys_exit *ctx)          \
	{                                                                 \
		return exit_(ctx, ctx->ret);                              \
	}

SETID(setuid, SETID_SETUID, 1)
SETID(setfsuid, SETID_SETFSUID, 1)
SETID(setreuid, SETID_SETREUID, 2)
SETID(setresuid, SETID_SETRESUID, 3)
SETID(setgid, SETID_SETGID, 1)
SETID(setfsgid, SETID_SETFSGID, 1)
SETID(setregid, SETID_SETREGID, 2)
SETID(setresgid, SETID_SETRESGID, 3)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
