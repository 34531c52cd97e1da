/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading task_struct fields on the scheduler hooks (cpudist, runqslower,
 * runqlen): directly on tp_btf programs, where the verifier knows the
 * pointer's BTF type and no helper call is needed, through
 * bpf_probe_read_kernel on raw tracepoints. */
#ifndef PROBEBOX_SCHED_BPF_H
#define PROBEBOX_SCHED_BPF_H

#include <bpf/bpf_core_read.h>

#ifndef PB_TASK_RUNNING
#define PB_TASK_RUNNING 0
#endif

/* PB_FIELD reads p->f; btf is a constant in every caller, so one branch is
 * compiled away. */
#define PB_FIELD(btf, p, f) ((btf) ? (p)->f : BPF_CORE_READ(p, f))

/* task_struct->state became __state in 5.14. */
struct task_struct___pb_pre514 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline long pb_task_state(struct task_struct *t, bool btf)
{
	struct task_struct___pb_pre514 *old = (void *)t;

	if (bpf_core_field_exists(old->state))
		return PB_FIELD(btf, old, state);
	return PB_FIELD(btf, t, __state);
}

#endif /* PROBEBOX_SCHED_BPF_H */
