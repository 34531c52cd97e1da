//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* runqlen: run queue length, sampled by a cpu-clock perf event on every
 * CPU. Each sample finds the CPU's struct rq from the current task
 * (through kernel BTF) and counts nr_running, every scheduling class,
 * minus the running task into that CPU's histogram. The sample runs on the CPU it
 * samples and samples do not nest, so each CPU's entry has one writer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "runqlen.h"

/* struct cfs_rq has a pointer to its rq with group scheduling
 * (CONFIG_FAIR_GROUP_SCHED); without it, the one cfs_rq is rq->cfs. */
struct cfs_rq___grouped {
	struct rq *rq;
} __attribute__((preserve_access_index));

static __always_inline struct rq *current_rq(void)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct cfs_rq___grouped *cfs = (void *)BPF_CORE_READ(task, se.cfs_rq);

	if (bpf_core_field_exists(cfs->rq))
		return BPF_CORE_READ(cfs, rq);
	return (void *)cfs - bpf_core_field_offset(struct rq, cfs);
}

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set to the number of possible CPUs */
	__type(key, __u32);
	__type(value, struct runqlen_hist);
} hists SEC(".maps");

SEC("perf_event")
int sample_rq(void *ctx)
{
	struct rq *rq = current_rq();
	__u32 cpu = bpf_get_smp_processor_id();
	struct runqlen_hist *h;
	__u64 len;

	h = bpf_map_lookup_elem(&hists, &cpu);
	if (!h)
		return 0;
	len = BPF_CORE_READ(rq, nr_running);
	if (len > 0)
		len--; /* the task on the CPU is running, not waiting */
	if (len >= RUNQLEN_MAX_SLOTS)
		len = RUNQLEN_MAX_SLOTS - 1;
	h->slots[len]++;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
