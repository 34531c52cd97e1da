//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cpudist: time tasks spend on CPU (or, with -O, off CPU) between two
 * context switches, as log2 histograms.
 *
 * Everything happens on sched_switch: on-CPU time runs from a task's
 * switch-in (as next) to its switch-out (as prev); off-CPU time from its
 * switch-out to its next switch-in. The start map holds the open interval
 * of each thread. Filters (-p, -c) are tested where the task concerned is
 * the one running (prev), which is where the cgroup helper can see it.
 * An interval once accounted is marked closed (ts 0) rather than deleted:
 * a delete is a second hash operation per switch, and the thread's next
 * interval overwrites the entry anyway. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "cpudist.h"

const volatile bool per_process = false; /* -P: key by tgid */
const volatile bool per_thread = false;  /* -L: key by tid */
const volatile bool offcpu = false;      /* -O */
const volatile bool milliseconds = false;
const volatile __s32 filter_tgid = 0;    /* -p: 0 means any */

/* The open interval of each thread: since when, and its process (the
 * tracefs format has no tgid for the task switched in). */
struct start_val {
	__u64 ts;
	__u32 tgid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct start_val);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct cpudist_hist);
} hists SEC(".maps");

static const struct cpudist_hist empty_hist = {};

static __always_inline void store_start(__u32 tid, __u32 tgid, __u64 now)
{
	struct start_val v = {.ts = now, .tgid = tgid};

	update_counted(&start, &tid, &v, BPF_ANY, CPUDIST_FULL_START);
}

/* account closes tid's open interval (if any) into its histogram; comm
 * points at the task's name in kernel memory (NULL: the current task);
 * tgid is its process, 0 for the one stored with the interval. */
static __always_inline void account(__u32 tid, __u32 tgid, __u64 now, const char *comm)
{
	struct cpudist_hist *h;
	struct start_val *sv;
	__u64 delta, slot;
	__u32 key = CPUDIST_ALL_KEY;

	sv = bpf_map_lookup_elem(&start, &tid);
	if (!sv || !sv->ts)
		return;
	if (now < sv->ts)
		goto out;
	delta = now - sv->ts;
	if (per_process)
		key = tgid ? tgid : sv->tgid;
	else if (per_thread)
		key = tid;
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		/* Failing with EEXIST is fine: another CPU added the key. */
		bpf_map_update_elem(&hists, &key, &empty_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h) {
			count_full(CPUDIST_FULL_HISTS);
			goto out;
		}
	}
	if (!h->comm[0]) {
		if (comm)
			bpf_probe_read_kernel_str(&h->comm, sizeof(h->comm), comm);
		else
			bpf_get_current_comm(&h->comm, sizeof(h->comm));
	}
	delta /= milliseconds ? 1000000 : 1000;
	slot = log2_u64(delta);
	if (slot >= CPUDIST_MAX_SLOTS)
		slot = CPUDIST_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
out:
	sv->ts = 0;
}

/* on_switch: prev is the current task (sched_switch fires before the
 * switch), so its ids and cgroup come from the current-task helpers.
 * next_tgid is 0 where the hook cannot tell (tracefs): the on-CPU -p test
 * then happens only when next is switched out, as the current task. */
static __always_inline int on_switch(__u32 next_tid, __u32 next_tgid, const char *next_comm)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 prev_tid = (__u32)id, prev_tgid = id >> 32;
	__u64 now = bpf_ktime_get_ns();
	bool prev_ok = prev_tid && (!filter_tgid || prev_tgid == filter_tgid) && cgroup_allowed();

	if (offcpu) {
		if (prev_ok)
			store_start(prev_tid, prev_tgid, now);
		if (next_tid)
			account(next_tid, 0, now, next_comm); /* only allowed tasks have a start */
		return 0;
	}
	if (prev_ok)
		account(prev_tid, prev_tgid, now, NULL);
	if (next_tid && (!filter_tgid || !next_tgid || next_tgid == filter_tgid))
		store_start(next_tid, next_tgid, now);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(next->pid, next->tgid, next->comm);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(raw_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(BPF_CORE_READ(next, pid), BPF_CORE_READ(next, tgid), next->comm);
}

/* The tracefs format of sched_switch (stable since 4.x). */
struct sched_switch_args {
	__u64 common;
	char prev_comm[16];
	__s32 prev_pid;
	__s32 prev_prio;
	long prev_state;
	char next_comm[16];
	__s32 next_pid;
	__s32 next_prio;
};

SEC("tracepoint/sched/sched_switch")
int tp_sched_switch(struct sched_switch_args *ctx)
{
	return on_switch(ctx->next_pid, 0, ctx->next_comm);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
