//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* funcslower: calls of functions that took longer than a threshold, with
 * their first arguments and return value. The entry saves the time and
 * arguments per thread; the return measures and, above min_ns, emits.
 * kprobes and uprobes read registers from pt_regs (x86-64 and arm64, by
 * CO-RE); fentry/fexit read them with bpf_get_func_arg/ret. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "stacks.bpf.h"
#include "funcslower.h"

const volatile __s32 filter_tgid = 0;
const volatile __u64 min_ns = 1000000;
const volatile __u32 nargs = 0; /* -a */
const volatile bool kernel_stacks = false; /* -K */
const volatile bool user_stacks = false;   /* -U */

struct entry {
	__u64 ts;
	__u64 args[FUNCSLOWER_MAX_ARGS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct entry);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct funcslower_event);
} scratch SEC(".maps");

static __always_inline bool traced(void)
{
	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return false;
	return cgroup_allowed();
}

static __always_inline struct entry *begin(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct entry zero = {}, *e;

	if (!traced())
		return NULL;
	zero.ts = bpf_ktime_get_ns();
	if (update_counted(&start, &tid, &zero, BPF_ANY, FUNCSLOWER_FULL_START))
		return NULL;
	e = bpf_map_lookup_elem(&start, &tid);
	return e;
}

static __always_inline int finish(void *ctx, __u64 retval, __u32 idx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct funcslower_event *ev;
	struct entry *e;
	__u64 delta;
	int i;

	e = bpf_map_lookup_elem(&start, &tid);
	if (!e)
		return 0;
	delta = bpf_ktime_get_ns() - e->ts;
	if (delta < min_ns) {
		bpf_map_delete_elem(&start, &tid);
		return 0;
	}
	ev = event_reserve(&scratch, sizeof(*ev));
	if (!ev) {
		bpf_map_delete_elem(&start, &tid);
		return 0;
	}
	ev->delta_ns = delta;
	ev->retval = retval;
	for (i = 0; i < FUNCSLOWER_MAX_ARGS; i++)
		ev->args[i] = e->args[i];
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	ev->tid = tid;
	ev->idx = idx;
	ev->pad = 0;
	bpf_get_current_comm(&ev->comm, sizeof(ev->comm));
	ev->kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;
	ev->user_stack_id = user_stacks ? stack_id(ctx, BPF_F_USER_STACK) : PB_NOT_COLLECTED;
	bpf_map_delete_elem(&start, &tid);
	event_submit(ctx, ev, sizeof(*ev));
	return 0;
}

static __always_inline int regs_entry(void *ctx)
{
	struct entry *e = begin();
	int i;

	if (!e)
		return 0;
	for (i = 0; i < FUNCSLOWER_MAX_ARGS; i++)
		if (i < nargs)
			e->args[i] = pb_reg_arg(ctx, i);
	return 0;
}

SEC("kprobe")
int entry_kprobe(void *ctx)
{
	return regs_entry(ctx);
}

SEC("kretprobe")
int return_kprobe(void *ctx)
{
	return finish(ctx, pb_reg_ret(ctx), bpf_get_attach_cookie(ctx));
}

SEC("uprobe")
int entry_uprobe(void *ctx)
{
	return regs_entry(ctx);
}

SEC("uretprobe")
int return_uprobe(void *ctx)
{
	return finish(ctx, pb_reg_ret(ctx), bpf_get_attach_cookie(ctx));
}

SEC("fentry")
int entry_fentry(void *ctx)
{
	struct entry *e = begin();
	int i;

	if (!e)
		return 0;
	for (i = 0; i < FUNCSLOWER_MAX_ARGS; i++)
		if (i < nargs)
			bpf_get_func_arg(ctx, i, &e->args[i]);
	return 0;
}

SEC("fexit")
int return_fexit(void *ctx)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	return finish(ctx, ret, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
