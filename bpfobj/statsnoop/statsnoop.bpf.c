//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* statsnoop: stat-family syscalls (statfs, stat, lstat, fstatat, statx)
 * with their path and result. Entry stashes the path pointer per thread;
 * exit reads the path and emits. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "stash.bpf.h"
#include "statsnoop.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
const volatile bool failed_only = false;

struct args {
	__u64 path; /* user pointer */
	__u32 syscall;
};

/* The path pointer from entry to exit, per thread (stash.bpf.h). */
PB_STASH(inflight, struct args, 10240, 0);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stat_event);
} scratch SEC(".maps");

static __always_inline int enter(__u64 path, __u32 syscall)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct args *a;

	if (filter_pid && (id >> 32) != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	a = inflight_start(tid);
	if (!a) {
		count_full(0);
		return 0;
	}
	a->path = path;
	a->syscall = syscall;
	return 0;
}

static __always_inline int exit_(void *ctx, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct stat_event *e;
	struct args *a;

	a = inflight_find(tid);
	if (!a)
		return 0;
	if (failed_only && ret >= 0)
		goto out;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		goto out;
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = tid;
	e->ret = ret;
	e->syscall = a->syscall;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_user_str(e->path, sizeof(e->path), (const char *)a->path) < 0)
		e->path[0] = 0;
	event_submit(ctx, e, sizeof(*e));
out:
	inflight_done(tid, a);
	return 0;
}

#define STAT_SYSCALL(name, nr, patharg)                                   \
	SEC("tracepoint/syscalls/sys_enter_" #name)                       \
	int tp_enter_##name(struct trace_event_raw_sys_enter *ctx)        \
	{                                                                 \
		return enter(ctx->args[patharg], nr);                     \
	}                                                                 \
	SEC("tracepoint/syscalls/sys_exit_" #name)                        \
	int tp_exit_##name(struct trace_event_raw_sys_exit *ctx)          \
	{                                                                 \
		return exit_(ctx, ctx->ret);                              \
	}

STAT_SYSCALL(statfs, STAT_SYS_STATFS, 0)
STAT_SYSCALL(newstat, STAT_SYS_NEWSTAT, 0)
STAT_SYSCALL(statx, STAT_SYS_STATX, 1)
STAT_SYSCALL(newfstatat, STAT_SYS_NEWFSTATAT, 1)
STAT_SYSCALL(newlstat, STAT_SYS_NEWLSTAT, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
