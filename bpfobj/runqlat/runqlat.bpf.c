//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* runqlat: run queue (scheduler) latency as log2 histograms.
 *
 * A task enters the run queue when it is woken (sched_wakeup,
 * sched_wakeup_new) or preempted while still runnable (sched_switch with
 * prev in TASK_RUNNING); it leaves when it is switched in (sched_switch's
 * next). The time between the two goes into a histogram in the hists map,
 * which user space copies out and clears at each interval. Hooks: tp_btf,
 * else raw tracepoints of the same names. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "pow2hist.bpf.h"
#include "taskstate.bpf.h"
#include "runqlat.h"

#define TASK_RUNNING 0

const volatile bool per_process = false; /* -P: key by tgid */
const volatile bool per_thread = false;  /* -L: key by tid */
const volatile bool per_pidns = false;   /* --pidnss: key by PID namespace */
const volatile bool milliseconds = false;
const volatile __s32 filter_tgid = 0;    /* -p: 0 means any */
const volatile bool per_cgroup = false;  /* the exporter: key by cgroup v2 inode */

/* Enqueue time of each queued thread. A wakeup it has no room for is
 * counted in map_full's RUNQLAT_FULL_START slot, a wait the hists map has
 * no key for in RUNQLAT_FULL_HISTS. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct runqlat_hist);
} hists SEC(".maps");

/* pow2_seconds mode only (the exporter): the total of the waits counted,
 * per CPU, for the Prometheus histogram's sum; of the one histogram here,
 * of each key's in cg_sums with per_cgroup (sized by user space). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sum_ns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cg_sums SEC(".maps");

static const struct runqlat_hist empty_hist = {};

static __always_inline void enqueue(struct task_struct *p, bool btf)
{
	__u32 tid = FIELD(btf, p, pid);
	__u64 ts;

	if (!tid) /* the idle task never waits */
		return;
	if (filter_tgid && FIELD(btf, p, tgid) != filter_tgid)
		return;
	ts = bpf_ktime_get_ns();
	update_counted(&start, &tid, &ts, BPF_ANY, RUNQLAT_FULL_START);
}

/* The inode number of the task's active PID namespace:
 * task->thread_pid->numbers[level].ns, as task_active_pid_ns() finds it. */
static __always_inline __u32 pidns_inum(struct task_struct *t)
{
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid upid;

	if (bpf_core_read(&upid, sizeof(upid), &pid->numbers[level]))
		return 0;
	return BPF_CORE_READ(upid.ns, ns.inum);
}

static __always_inline __u32 hist_key(struct task_struct *next, __u32 tid, bool btf)
{
	if (per_process)
		return FIELD(btf, next, tgid);
	if (per_thread)
		return tid;
	if (per_pidns)
		return pidns_inum(next);
	if (per_cgroup)
		/* The low 32 bits of the kernfs id are the directory's inode
		 * number under /sys/fs/cgroup (kn->id was {ino, generation}
		 * before 5.5: the same first 4 bytes on little endian). */
		return (__u32)BPF_CORE_READ(next, cgroups, dfl_cgrp, kn, id);
	return RUNQLAT_ALL_KEY;
}

/* -c: the cgroup test applies to the running task, as in libbpf-tools:
 * the waker on wakeups, the task switched out on sched_switch. */
static __always_inline int on_wakeup(struct task_struct *p, bool btf)
{
	if (cgroup_allowed())
		enqueue(p, btf);
	return 0;
}

static __always_inline int on_switch(struct task_struct *prev, struct task_struct *next, bool btf)
{
	struct runqlat_hist *h;
	__u32 tid, key;
	__u64 *tsp, now, delta, slot;

	if (!cgroup_allowed())
		return 0;
	/* A preempted task that can still run goes straight back in the queue. */
	if (task_state(prev, btf) == TASK_RUNNING)
		enqueue(prev, btf);

	tid = FIELD(btf, next, pid);
	tsp = bpf_map_lookup_elem(&start, &tid);
	if (!tsp)
		return 0;
	now = bpf_ktime_get_ns();
	if (now < *tsp)
		goto out;
	delta = now - *tsp;

	key = hist_key(next, tid, btf);
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		/* Failing with EEXIST is fine: another CPU added the key. */
		bpf_map_update_elem(&hists, &key, &empty_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h) {
			count_full(RUNQLAT_FULL_HISTS);
			goto out;
		}
	}
	if (!h->comm[0])
		BPF_CORE_READ_STR_INTO(&h->comm, next, comm);
	if (pow2_seconds) {
		__u32 zero = 0;
		__u64 *sum;

		if (per_cgroup) {
			sum = bpf_map_lookup_elem(&cg_sums, &key);
			if (!sum) {
				/* Sized like hists: if that had room, so has this. */
				__u64 init = 0;

				bpf_map_update_elem(&cg_sums, &key, &init, BPF_NOEXIST);
				sum = bpf_map_lookup_elem(&cg_sums, &key);
			}
		} else {
			sum = bpf_map_lookup_elem(&sum_ns, &zero);
		}
		if (sum)
			*sum += delta;
		delta = pow2s_units(delta);
	} else {
		delta /= milliseconds ? 1000000 : 1000;
	}
	slot = log2_u64(delta);
	if (slot >= RUNQLAT_MAX_SLOTS)
		slot = RUNQLAT_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
out:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(btf_sched_wakeup, struct task_struct *p)
{
	return on_wakeup(p, true);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(btf_sched_wakeup_new, struct task_struct *p)
{
	return on_wakeup(p, true);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(prev, next, true);
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(raw_sched_wakeup, struct task_struct *p)
{
	return on_wakeup(p, false);
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(raw_sched_wakeup_new, struct task_struct *p)
{
	return on_wakeup(p, false);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(prev, next, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
