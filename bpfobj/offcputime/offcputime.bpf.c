//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* offcputime: time threads spend blocked (off CPU), summed by stack.
 *
 * On sched_switch the thread switched out (prev, which is still the
 * current task) has its stacks taken and the time noted in start; when it
 * is switched back in (next), the time it was away is added, in
 * microseconds, to its stacks' entry in counts. Hooks: tp_btf, else the
 * raw tracepoint, else the tracefs tracepoint (prev is then the current
 * task, next only a PID). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "offcputime.h"
#include "stacks.bpf.h"
#include "unwind.bpf.h"
#include "taskstate.bpf.h"

const volatile __u32 filter_tgid = 0;     /* -p: 0 means any */
const volatile __u32 filter_tid = 0;      /* -t */
const volatile bool user_threads_only = false;   /* -u */
const volatile bool kernel_threads_only = false; /* -k */
const volatile bool user_stacks = true;   /* false with -K */
const volatile bool kernel_stacks = true; /* false with -U */
const volatile long filter_state = -1;    /* --state: -1 means any */
const volatile __u64 min_us = 1;          /* -m */
const volatile __u64 max_us = ~0ULL;      /* -M */

struct start_t {
	__u64 ts;
	struct pb_stack_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct start_t);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pb_stack_key);
	__type(value, __u64);
} counts SEC(".maps");

/* Scratch for the start value: too big for the BPF stack next to the key. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct start_t);
} scratch SEC(".maps");

static __always_inline bool wanted(struct task_struct *prev, bool btf)
{
	__u32 tid = FIELD(btf, prev, pid);
	bool kthread;

	if (!tid) /* the idle task is never blocked */
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
	if (filter_state != -1 && task_state(prev, btf) != filter_state)
		return false;
	return cgroup_allowed();
}

static __always_inline void switched_out(void *ctx, struct task_struct *prev, bool btf)
{
	__u32 zero = 0, tid;
	struct start_t *s;

	if (!wanted(prev, btf))
		return;
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return;
	tid = FIELD(btf, prev, pid);
	s->key.pid = FIELD(btf, prev, tgid);
	s->key.tid = tid;
	bpf_get_current_comm(&s->key.comm, sizeof(s->key.comm));
	if (!user_stacks)
		s->key.user_stack_id = PB_NOT_COLLECTED;
	else if (unwind_user) /* prev is the current task here */
		s->key.user_stack_id = unwind_user_stack(s->key.pid);
	else
		s->key.user_stack_id = stack_id(ctx, BPF_F_USER_STACK);
	s->key.kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;
	s->ts = bpf_ktime_get_ns();
	update_counted(&start, &tid, s, BPF_ANY, OFFCPUTIME_FULL_START);
}

static __always_inline void switched_in(__u32 tid)
{
	struct start_t *s;
	__u64 delta, *n;

	s = bpf_map_lookup_elem(&start, &tid);
	if (!s)
		return;
	delta = (bpf_ktime_get_ns() - s->ts) / 1000;
	if (delta < min_us || delta > max_us)
		goto out;
	n = bpf_map_lookup_elem(&counts, &s->key);
	if (n) {
		__sync_fetch_and_add(n, delta);
		goto out;
	}
	if (update_counted(&counts, &s->key, &delta, BPF_NOEXIST, OFFCPUTIME_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, &s->key);
		if (n)
			__sync_fetch_and_add(n, delta);
	}
out:
	bpf_map_delete_elem(&start, &tid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switched_out(ctx, prev, true);
	switched_in(next->pid);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	switched_out(ctx, prev, false);
	switched_in(BPF_CORE_READ(next, pid));
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int tp_sched_switch(struct trace_event_raw_sched_switch *ctx)
{
	struct task_struct *prev = (struct task_struct *)bpf_get_current_task();

	switched_out(ctx, prev, false);
	switched_in(ctx->next_pid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
