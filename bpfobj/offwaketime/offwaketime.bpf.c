//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* offwaketime: blocked time by the blocked thread's stacks joined with
 * the stacks of the thread that woke it. sched_switch takes the stacks of
 * the thread switched out; sched_waking, running in the waker, takes the
 * waker's; when the thread is switched back in, the time it was away is
 * added under both. Hooks: tp_btf, raw tracepoints, tracefs tracepoints. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "offwaketime.h"
#include "stacks.bpf.h"
#include "taskstate.bpf.h"
#include "wakeup.bpf.h"

const volatile __u32 filter_tgid = 0;     /* -p: the blocked process */
const volatile __u32 filter_tid = 0;      /* -t */
const volatile bool user_threads_only = false;   /* -u */
const volatile bool kernel_threads_only = false; /* -k */
const volatile bool user_stacks = true;   /* false with -K */
const volatile bool kernel_stacks = true; /* false with -U */
const volatile __u64 min_us = 1;          /* -m */
const volatile __u64 max_us = ~0ULL;      /* -M */

struct off {
	__u64 ts;
	__u32 tgid;
	__s32 user_stack_id, kernel_stack_id;
	char comm[16];
};

struct waker {
	__u32 tgid;
	__s32 user_stack_id, kernel_stack_id;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct off);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct waker);
} wokeby SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct offwaketime_key);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline bool wanted(struct task_struct *prev, bool btf)
{
	__u32 tid = FIELD(btf, prev, pid);
	bool kthread;

	if (!tid)
		return false;
	if (filter_tgid && FIELD(btf, prev, tgid) != filter_tgid)
		return false;
	if (filter_tid && tid != filter_tid)
		return false;
	if (user_threads_only || kernel_threads_only) {
		kthread = FIELD(btf, prev, flags) & PB_PF_KTHREAD;
		if (kthread ? user_threads_only : kernel_threads_only)
			return false;
	}
	return cgroup_allowed();
}

static __always_inline void switched_out(void *ctx, struct task_struct *prev, bool btf)
{
	struct off o = {};
	__u32 tid;

	if (!wanted(prev, btf))
		return;
	tid = FIELD(btf, prev, pid);
	o.tgid = FIELD(btf, prev, tgid);
	bpf_get_current_comm(&o.comm, sizeof(o.comm));
	o.user_stack_id = user_stacks ? stack_id(ctx, BPF_F_USER_STACK) : PB_NOT_COLLECTED;
	o.kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;
	o.ts = bpf_ktime_get_ns();
	update_counted(&start, &tid, &o, BPF_ANY, OFFWAKETIME_FULL_START);
}

static __always_inline void woken(void *ctx, __u32 tid)
{
	struct waker w = {};

	if (!bpf_map_lookup_elem(&start, &tid))
		return; /* not a thread being traced */
	w.tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&w.comm, sizeof(w.comm));
	w.user_stack_id = user_stacks ? stack_id(ctx, BPF_F_USER_STACK) : PB_NOT_COLLECTED;
	w.kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;
	update_counted(&wokeby, &tid, &w, BPF_ANY, OFFWAKETIME_FULL_WOKEBY);
}

static __always_inline void switched_in(__u32 tid)
{
	struct offwaketime_key key = {};
	struct off *o;
	struct waker *w;
	__u64 delta, *n;

	o = bpf_map_lookup_elem(&start, &tid);
	if (!o)
		return;
	delta = (bpf_ktime_get_ns() - o->ts) / 1000;
	if (delta < min_us || delta > max_us)
		goto out;
	key.t_pid = o->tgid;
	key.t_user_stack_id = o->user_stack_id;
	key.t_kernel_stack_id = o->kernel_stack_id;
	__builtin_memcpy(key.target, o->comm, sizeof(key.target));
	key.w_user_stack_id = PB_NOT_COLLECTED;
	key.w_kernel_stack_id = PB_NOT_COLLECTED;
	w = bpf_map_lookup_elem(&wokeby, &tid);
	if (w) {
		key.w_pid = w->tgid;
		key.w_user_stack_id = w->user_stack_id;
		key.w_kernel_stack_id = w->kernel_stack_id;
		__builtin_memcpy(key.waker, w->comm, sizeof(key.waker));
	}
	n = bpf_map_lookup_elem(&counts, &key);
	if (n) {
		__sync_fetch_and_add(n, delta);
		goto out;
	}
	if (update_counted(&counts, &key, &delta, BPF_NOEXIST, OFFWAKETIME_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, &key);
		if (n)
			__sync_fetch_and_add(n, delta);
	}
out:
	bpf_map_delete_elem(&start, &tid);
	bpf_map_delete_elem(&wokeby, &tid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switched_out(ctx, prev, true);
	switched_in(next->pid);
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(btf_sched_waking, struct task_struct *p)
{
	woken(ctx, p->pid);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switched_out(ctx, prev, false);
	switched_in(BPF_CORE_READ(next, pid));
	return 0;
}

SEC("raw_tp/sched_waking")
int BPF_PROG(raw_sched_waking, struct task_struct *p)
{
	woken(ctx, BPF_CORE_READ(p, pid));
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int tp_sched_switch(struct trace_event_raw_sched_switch *ctx)
{
	switched_out(ctx, (struct task_struct *)bpf_get_current_task(), false);
	switched_in(ctx->next_pid);
	return 0;
}

SEC("tracepoint/sched/sched_waking")
int tp_sched_waking(struct trace_event_raw_sched_wakeup_template *ctx)
{
	woken(ctx, ctx->pid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
