//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* wakeuptime: the time threads were blocked, summed by the stack of the
 * thread that woke them. sched_switch notes when a thread blocks;
 * sched_waking, which runs in the waker, adds the blocked time under the
 * waker's stacks (not sched_wakeup: a wakeup queued to another CPU fires
 * sched_wakeup there, in whatever runs, often the idle task).
 * Hooks: tp_btf, raw tracepoints, tracefs tracepoints. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "wakeuptime.h"
#include "stacks.bpf.h"
#include "taskstate.bpf.h"
#include "wakeup.bpf.h"

const volatile __u32 filter_tgid = 0; /* -p: the woken (target) process */
const volatile bool user_stacks = true;   /* false with -K */
const volatile bool kernel_stacks = true; /* false with -U */
const volatile __u64 min_us = 1;
const volatile __u64 max_us = ~0ULL;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct wakeuptime_key);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline void blocked(struct task_struct *prev, bool btf)
{
	__u32 tid = FIELD(btf, prev, pid);
	__u64 ts;

	if (!tid || (filter_tgid && FIELD(btf, prev, tgid) != filter_tgid))
		return;
	/* A preempted thread is runnable, not blocked: nobody wakes it. */
	if (task_state(prev, btf) == 0)
		return;
	ts = bpf_ktime_get_ns();
	update_counted(&start, &tid, &ts, BPF_ANY, WAKEUPTIME_FULL_START);
}

static __always_inline void woken(void *ctx, struct woken *w)
{
	struct wakeuptime_key key = {};
	__u64 *tsp, delta, *n;

	tsp = bpf_map_lookup_elem(&start, &w->tid);
	if (!tsp)
		return;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&start, &w->tid);
	if (delta < min_us || delta > max_us || !cgroup_allowed())
		return;
	key.w_pid = bpf_get_current_pid_tgid() >> 32;
	key.t_pid = w->tgid;
	bpf_get_current_comm(&key.waker, sizeof(key.waker));
	__builtin_memcpy(key.target, w->comm, sizeof(key.target));
	key.w_user_stack_id = user_stacks ? stack_id(ctx, BPF_F_USER_STACK) : PB_NOT_COLLECTED;
	key.w_kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;
	n = bpf_map_lookup_elem(&counts, &key);
	if (n) {
		__sync_fetch_and_add(n, delta);
		return;
	}
	if (update_counted(&counts, &key, &delta, BPF_NOEXIST, WAKEUPTIME_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, &key);
		if (n)
			__sync_fetch_and_add(n, delta);
	}
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	blocked(prev, true);
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(btf_sched_waking, struct task_struct *p)
{
	struct woken w = {};

	woken_from_task(&w, p, true);
	woken(ctx, &w);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	blocked(prev, false);
	return 0;
}

SEC("raw_tp/sched_waking")
int BPF_PROG(raw_sched_waking, struct task_struct *p)
{
	struct woken w = {};

	woken_from_task(&w, p, false);
	woken(ctx, &w);
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int tp_sched_switch(struct trace_event_raw_sched_switch *ctx)
{
	blocked((struct task_struct *)bpf_get_current_task(), false);
	return 0;
}

SEC("tracepoint/sched/sched_waking")
int tp_sched_waking(struct trace_event_raw_sched_wakeup_template *ctx)
{
	struct woken w = {};

	woken_from_record(&w, ctx);
	woken(ctx, &w);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
