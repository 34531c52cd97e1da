//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* opensnoop: open(), openat() and openat2() with their results. Entry
 * stashes the arguments per thread; exit reads the path and emits. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "stash.bpf.h"
#include "opensnoop.h"

#define AT_FDCWD -100

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
const volatile __u32 filter_tid = 0;
const volatile __u32 filter_uid = (__u32)-1;
const volatile bool failed_only = false;

struct args {
	__u64 fname; /* user pointer */
	__s32 dfd;
	__u32 flags;
	__u32 mode;
};

/* Arguments from entry to exit, per thread (stash.bpf.h). */
PB_STASH(starts, struct args, 10240, 0);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct open_event);
} scratch SEC(".maps");

static __always_inline int enter(const char *fname, __s32 dfd, __u32 flags, __u32 mode)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;
	struct args *a;

	if (filter_pid && tgid != filter_pid)
		return 0;
	if (filter_tid && tid != filter_tid)
		return 0;
	if (filter_uid != (__u32)-1 && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	a = starts_start(tid);
	if (!a)
		return 0;
	a->fname = (__u64)fname;
	a->dfd = dfd;
	a->flags = flags;
	a->mode = mode;
	return 0;
}

static __always_inline int exit_(void *ctx, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct open_event *e;
	char comm[TASK_COMM_LEN];
	struct args *a;

	a = starts_find(tid);
	if (!a)
		return 0;
	if (failed_only && ret >= 0)
		goto out;
	bpf_get_current_comm(comm, sizeof(comm));
	if (!comm_allowed(comm))
		goto out;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		goto out;
	__builtin_memcpy(e->comm, comm, sizeof(comm));
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = tid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->ret = ret;
	e->dfd = a->dfd;
	e->flags = a->flags;
	e->mode = a->mode;
	if (bpf_probe_read_user_str(e->fname, sizeof(e->fname), (const char *)a->fname) < 0)
		e->fname[0] = 0;
	event_submit(ctx, e, sizeof(*e));
out:
	starts_done(tid, a);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int tp_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return enter((const char *)ctx->args[0], AT_FDCWD, ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return enter((const char *)ctx->args[1], ctx->args[0], ctx->args[2], ctx->args[3]);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int tp_enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]);
	return enter((const char *)ctx->args[1], ctx->args[0], how.flags, how.mode);
}

SEC("tracepoint/syscalls/sys_exit_open")
int tp_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return exit_(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tp_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return exit_(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int tp_exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return exit_(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
