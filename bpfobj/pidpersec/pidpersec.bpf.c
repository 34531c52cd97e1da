//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* pidpersec: new tasks (fork, clone, threads) counted in the kernel per
 * CPU; user space reads and clears the counts every second. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "pidpersec.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct pidpersec_val);
} counts SEC(".maps");

static __always_inline int count(bool thread)
{
	__u32 key = PIDPERSEC_ALL;
	struct pidpersec_val *v;

	if (!cgroup_allowed())
		return 0;
	v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		v->n++;
	if (thread) {
		key = PIDPERSEC_THREADS;
		v = bpf_map_lookup_elem(&counts, &key);
		if (v)
			v->n++;
	}
	return 0;
}

/* sched_process_fork(struct task_struct *parent, struct task_struct *child) */
SEC("tp_btf/sched_process_fork")
int btf_sched_process_fork(u64 *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx[0];
	struct task_struct *child = (struct task_struct *)ctx[1];

	return count(parent->tgid == child->tgid);
}

SEC("raw_tp/sched_process_fork")
int raw_sched_process_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];

	return count(BPF_CORE_READ(parent, tgid) == BPF_CORE_READ(child, tgid));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
