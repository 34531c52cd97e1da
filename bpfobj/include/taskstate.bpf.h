/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading task_struct fields on the scheduler hooks (runqlat, runqslower,
 * offcputime, wakeuptime, offwaketime): tp_btf programs read fields
 * directly (the verifier knows the pointer's BTF type, no helper call:
 * the hottest path of these tools), raw tracepoints and tracefs
 * tracepoints through bpf_probe_read_kernel (CO-RE). */
#ifndef PROBEBOX_TASKSTATE_BPF_H
#define PROBEBOX_TASKSTATE_BPF_H

#include <bpf/bpf_core_read.h>

/* FIELD reads p->f: directly where btf (a constant in each caller) says
 * the pointer is BTF-typed, through a CO-RE probe read otherwise. */
#define FIELD(btf, p, f) ((btf) ? (p)->f : BPF_CORE_READ(p, f))

#define PB_PF_KTHREAD 0x00200000 /* task->flags of kernel threads */
#define PB_TASK_RUNNING 0        /* task_state() of a runnable task */

/* task_struct->state became __state in 5.14. */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline long task_state(struct task_struct *t, bool btf)
{
	struct task_struct___pre514 *old = (void *)t;

	if (bpf_core_field_exists(old->state))
		return FIELD(btf, old, state);
	return FIELD(btf, t, __state);
}

#endif /* PROBEBOX_TASKSTATE_BPF_H */
