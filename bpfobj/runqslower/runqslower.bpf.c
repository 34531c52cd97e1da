//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* runqslower: each run queue wait longer than a threshold.
 *
 * A thread enters the run queue when woken (sched_wakeup,
 * sched_wakeup_new) or preempted while runnable (sched_switch's prev in
 * TASK_RUNNING), and leaves it when switched in (sched_switch's next).
 * Waits above min_us are sent to user space with the task switched out
 * at that moment. Hooks: tp_btf, else raw tracepoints. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "taskstate.bpf.h"
#include "runqslower.h"

const volatile __u64 min_us = 0;
const volatile __s32 filter_tgid = 0; /* -p: 0 means any */
const volatile __s32 filter_tid = 0;  /* -t: 0 means any */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

/* Scratch event for perf-buffer kernels (event_reserve). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct runqslower_event);
} scratch SEC(".maps");

static __always_inline void enqueue(struct task_struct *p, bool btf)
{
	__u32 tid = FIELD(btf, p, pid);
	__u64 ts;

	if (!tid)
		return;
	if (filter_tgid && FIELD(btf, p, tgid) != filter_tgid)
		return;
	if (filter_tid && tid != filter_tid)
		return;
	ts = bpf_ktime_get_ns();
	update_counted(&start, &tid, &ts, BPF_ANY, RUNQSLOWER_FULL_START);
}

static __always_inline int on_switch(void *ctx, struct task_struct *prev, struct task_struct *next, bool btf)
{
	struct runqslower_event *e;
	__u64 *tsp, now, delta_us;
	__u32 tid;

	if (task_state(prev, btf) == PB_TASK_RUNNING)
		enqueue(prev, btf);

	tid = FIELD(btf, next, pid);
	tsp = bpf_map_lookup_elem(&start, &tid);
	if (!tsp)
		return 0;
	now = bpf_ktime_get_ns();
	delta_us = now > *tsp ? (now - *tsp) / 1000 : 0;
	bpf_map_delete_elem(&start, &tid);
	if (min_us && delta_us <= min_us)
		return 0;

	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		return 0;
	e->delta_us = delta_us;
	e->pid = tid;
	e->tgid = FIELD(btf, next, tgid);
	e->prev_pid = FIELD(btf, prev, pid);
	e->cpu = bpf_get_smp_processor_id();
	BPF_CORE_READ_STR_INTO(&e->task, next, comm);
	BPF_CORE_READ_STR_INTO(&e->prev_task, prev, comm);
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(btf_sched_wakeup, struct task_struct *p)
{
	enqueue(p, true);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(btf_sched_wakeup_new, struct task_struct *p)
{
	enqueue(p, true);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(ctx, prev, next, true);
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(raw_sched_wakeup, struct task_struct *p)
{
	enqueue(p, false);
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(raw_sched_wakeup_new, struct task_struct *p)
{
	enqueue(p, false);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(ctx, prev, next, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
