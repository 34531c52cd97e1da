/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What wakeuptime and offwaketime share: the hooks' arguments reduced to
 * the woken task's ids and name, from tp_btf/raw_tp (a task pointer) or
 * the tracefs tracepoint (a record with pid and comm). Include
 * probebox.bpf.h and taskstate.bpf.h first. */
#ifndef PROBEBOX_WAKEUP_BPF_H
#define PROBEBOX_WAKEUP_BPF_H

struct woken {
	__u32 tid, tgid;
	char comm[16];
};

static __always_inline void woken_from_task(struct woken *w, struct task_struct *p, bool btf)
{
	w->tid = FIELD(btf, p, pid);
	w->tgid = FIELD(btf, p, tgid);
	if (btf)
		__builtin_memcpy(w->comm, p->comm, sizeof(w->comm));
	else
		BPF_CORE_READ_STR_INTO(&w->comm, p, comm);
}

/* The tracefs record has no tgid: the thread id stands in for it. */
static __always_inline void woken_from_record(struct woken *w, struct trace_event_raw_sched_wakeup_template *ctx)
{
	w->tid = ctx->pid;
	w->tgid = ctx->pid;
	bpf_probe_read_kernel(w->comm, sizeof(w->comm), ctx->comm);
}

#endif /* PROBEBOX_WAKEUP_BPF_H */
