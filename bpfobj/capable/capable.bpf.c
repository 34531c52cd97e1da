//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* capable: security capability checks with their verdict. kprobe and
 * kretprobe on cap_capable() see the caller's options (audit, insetid);
 * the capability:cap_capable tracepoint (6.14+) sees the check and its
 * result but not the options. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#define PB_STACKS_FULL_SLOT 2
#include "stacks.bpf.h"
#include "capable.h"

#define CAP_OPT_NOAUDIT (1 << 1)
#define CAP_OPT_INSETID (1 << 2)

/* -u: report each capability once per process (1) or per cgroup (2). */
#define UNIQUE_PID 1
#define UNIQUE_CGROUP 2

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
const volatile __u32 my_pid = 0;     /* capable itself: its own checks are noise */
const volatile __u32 unique = 0;
const volatile bool kernel_stacks = false; /* -K */
const volatile bool user_stacks = false;   /* -U */

struct pending {
	__s32 cap;
	__s32 audit;
	__s32 insetid;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct pending);
} inflight SEC(".maps");

struct seen_key {
	__u64 who; /* tgid or cgroup id */
	__s32 cap;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct seen_key);
	__type(value, __u8);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cap_event);
} scratch SEC(".maps");

static __always_inline bool wanted(__u32 tgid)
{
	if (my_pid && tgid == my_pid)
		return false;
	if (filter_pid && tgid != filter_pid)
		return false;
	return cgroup_allowed();
}

static __always_inline int report(void *ctx, int cap, int ret, int audit, int insetid)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	__u64 cgid = bpf_get_current_cgroup_id();
	struct cap_event *e;

	if (unique) {
		struct seen_key k = {.who = unique == UNIQUE_CGROUP ? cgid : tgid, .cap = cap};
		__u8 one = 1;

		/* Already there (EEXIST): reported before. */
		if (update_counted(&seen, &k, &one, BPF_NOEXIST, 1))
			return 0;
	}
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = cgid;
	e->pid = tgid;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->cap = cap;
	e->ret = ret;
	e->audit = audit;
	e->insetid = insetid;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;
	e->user_stack_id = user_stacks ? stack_id(ctx, BPF_F_USER_STACK) : PB_NOT_COLLECTED;
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

/* cap_capable(const struct cred *cred, struct user_namespace *ns, int cap, unsigned int opts) */
SEC("kprobe/cap_capable")
int kprobe_cap_capable(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	unsigned int opts = pb_reg_arg(ctx, 3);
	struct pending p = {
		.cap = pb_reg_arg(ctx, 2),
		.audit = !(opts & CAP_OPT_NOAUDIT),
		.insetid = !!(opts & CAP_OPT_INSETID),
	};

	if (!wanted(id >> 32))
		return 0;
	update_counted(&inflight, &tid, &p, BPF_ANY, 0);
	return 0;
}

SEC("kretprobe/cap_capable")
int kretprobe_cap_capable(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&inflight, &tid);
	struct pending copy;

	if (!p)
		return 0;
	copy = *p;
	bpf_map_delete_elem(&inflight, &tid);
	return report(ctx, copy.cap, (int)pb_reg_ret(ctx), copy.audit, copy.insetid);
}

/* cap_capable(cred, target_ns, capable_ns, cap, ret) */
SEC("tp_btf/cap_capable")
int btf_cap_capable(u64 *ctx)
{
	if (!wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	return report(ctx, (int)ctx[3], (int)ctx[4], -1, -1);
}

SEC("raw_tp/cap_capable")
int raw_cap_capable(struct bpf_raw_tracepoint_args *ctx)
{
	if (!wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	return report(ctx, (int)ctx->args[3], (int)ctx->args[4], -1, -1);
}

/* The tracefs record, as its format file lays it out (no CO-RE: kernels
 * without the tracepoint have no type to relocate against, and this
 * program is only loaded where the tracepoint exists). */
struct cap_capable_args {
	__u64 common;
	__u64 cred;
	__u64 target_ns;
	__u64 capable_ns;
	int cap;
	int ret;
};

SEC("tracepoint/capability/cap_capable")
int tp_cap_capable(void *ctx)
{
	struct cap_capable_args *a = ctx;

	if (!wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	return report(ctx, a->cap, a->ret, -1, -1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
