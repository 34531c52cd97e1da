//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* mountsnoop: mount(), umount(), fsopen(), fsconfig(), fsmount() and
 * move_mount() with their arguments and result. Entry stashes the
 * arguments per thread; exit reads the strings (still in the caller's
 * memory) and emits. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "stash.bpf.h"
#include "mountsnoop.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */

struct args {
	__u64 ts;
	__u64 flags;
	__u64 str[4]; /* user pointers; 0: none */
	__u32 op;
	__u32 attr_flags;
	__s32 int0, int1, int2;
};

/* The arguments from entry to exit, per thread (stash.bpf.h). */
PB_STASH(inflight, struct args, 10240, 0);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mount_event);
} scratch SEC(".maps");

static __always_inline int enter(struct args *a)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct args *s;

	if (filter_pid && (id >> 32) != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	s = inflight_start(tid);
	if (!s) {
		count_full(0);
		return 0;
	}
	*s = *a;
	s->ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline void read_str(char *dst, __u64 src)
{
	if (!src || bpf_probe_read_user_str(dst, MOUNTSNOOP_STR_LEN, (const char *)src) < 0)
		dst[0] = 0;
}

static __always_inline int exit_(void *ctx, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct task_struct *task;
	struct mount_event *e;
	struct args *a;

	a = inflight_find(tid);
	if (!a)
		return 0;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		goto out;
	e->ts_ns = bpf_ktime_get_ns();
	e->delta_ns = e->ts_ns - a->ts;
	e->flags = a->flags;
	e->pid = id >> 32;
	e->tid = tid;
	task = (struct task_struct *)bpf_get_current_task();
	e->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	e->ret = ret;
	e->op = a->op;
	e->attr_flags = a->attr_flags;
	e->int0 = a->int0;
	e->int1 = a->int1;
	e->int2 = a->int2;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	read_str(e->str[0], a->str[0]);
	read_str(e->str[1], a->str[1]);
	read_str(e->str[2], a->str[2]);
	read_str(e->str[3], a->str[3]);
	event_submit(ctx, e, sizeof(*e));
out:
	inflight_done(tid, a);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_mount")
int tp_enter_mount(struct trace_event_raw_sys_enter *ctx)
{
	struct args a = {.op = MOUNT_OP_MOUNT, .flags = ctx->args[3]};

	a.str[0] = ctx->args[0];
	a.str[1] = ctx->args[1];
	a.str[2] = ctx->args[2];
	a.str[3] = ctx->args[4];
	return enter(&a);
}

SEC("tracepoint/syscalls/sys_enter_umount")
int tp_enter_umount(struct trace_event_raw_sys_enter *ctx)
{
	struct args a = {.op = MOUNT_OP_UMOUNT, .flags = ctx->args[1]};

	a.str[0] = ctx->args[0];
	return enter(&a);
}

SEC("tracepoint/syscalls/sys_enter_oldumount")
int tp_enter_oldumount(struct trace_event_raw_sys_enter *ctx)
{
	struct args a = {.op = MOUNT_OP_UMOUNT};

	a.str[0] = ctx->args[0];
	return enter(&a);
}

SEC("tracepoint/syscalls/sys_enter_fsopen")
int tp_enter_fsopen(struct trace_event_raw_sys_enter *ctx)
{
	struct args a = {.op = MOUNT_OP_FSOPEN, .flags = ctx->args[1]};

	a.str[0] = ctx->args[0];
	return enter(&a);
}

SEC("tracepoint/syscalls/sys_enter_fsconfig")
int tp_enter_fsconfig(struct trace_event_raw_sys_enter *ctx)
{
	struct args a = {.op = MOUNT_OP_FSCONFIG};

	a.int0 = ctx->args[0];
	a.int1 = ctx->args[1];
	a.str[0] = ctx->args[2];
	/* value is a string only for FSCONFIG_SET_STRING (1) */
	if (a.int1 == 1)
		a.str[1] = ctx->args[3];
	a.int2 = ctx->args[4];
	return enter(&a);
}

SEC("tracepoint/syscalls/sys_enter_fsmount")
int tp_enter_fsmount(struct trace_event_raw_sys_enter *ctx)
{
	struct args a = {.op = MOUNT_OP_FSMOUNT, .flags = ctx->args[1]};

	a.int0 = ctx->args[0];
	a.attr_flags = ctx->args[2];
	return enter(&a);
}

SEC("tracepoint/syscalls/sys_enter_move_mount")
int tp_enter_move_mount(struct trace_event_raw_sys_enter *ctx)
{
	struct args a = {.op = MOUNT_OP_MOVE_MOUNT, .flags = ctx->args[4]};

	a.int0 = ctx->args[0];
	a.str[0] = ctx->args[1];
	a.int1 = ctx->args[2];
	a.str[1] = ctx->args[3];
	return enter(&a);
}

#define EXIT(name)                                                   \
	SEC("tracepoint/syscalls/sys_exit_" #name)                   \
	int tp_exit_##name(struct trace_event_raw_sys_exit *ctx)     \
	{                                                            \
		return exit_(ctx, ctx->ret);                         \
	}

EXIT(mount)
EXIT(umount)
EXIT(oldumount)
EXIT(fsopen)
EXIT(fsconfig)
EXIT(fsmount)
EXIT(move_mount)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
