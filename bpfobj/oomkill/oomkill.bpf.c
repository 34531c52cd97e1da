//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* oomkill: OOM kills, with the process that triggered the OOM (the
 * current task when the kill is decided) and the victim. kprobe on
 * oom_kill_process() also sees the OOM domain's size (oc->totalpages);
 * the oom:mark_victim tracepoint, fired from the same path, sees the
 * victim. In tally mode (`probebox exporter`) a kill is counted in the
 * tallies map instead of streamed. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "regs.bpf.h"
#include "tally.bpf.h"
#include "oomkill.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct oom_event);
} scratch SEC(".maps");

static __always_inline int report(void *ctx, struct task_struct *victim, __u64 pages, bool kprobe)
{
	struct oom_event *e;

	if (tally_mode) {
		tally(0, 0, 0, NULL);
		return 0;
	}
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->pages = pages;
	e->fpid = bpf_get_current_pid_tgid() >> 32;
	e->tpid = BPF_CORE_READ(victim, tgid);
	e->from_kprobe = kprobe;
	e->pad = 0;
	bpf_get_current_comm(e->fcomm, sizeof(e->fcomm));
	BPF_CORE_READ_STR_INTO(&e->tcomm, victim, comm);
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

/* oom_kill_process(struct oom_control *oc, const char *message) */
SEC("kprobe/oom_kill_process")
int kprobe_oom_kill_process(void *ctx)
{
	struct oom_control *oc = (struct oom_control *)pb_reg_arg(ctx, 0);

	return report(ctx, BPF_CORE_READ(oc, chosen), BPF_CORE_READ(oc, totalpages), true);
}

static __always_inline __u64 total_vm(struct task_struct *t)
{
	return BPF_CORE_READ(t, mm, total_vm);
}

/* mark_victim(struct task_struct *task, uid_t uid) */
SEC("tp_btf/mark_victim")
int btf_mark_victim(u64 *ctx)
{
	struct task_struct *victim = (struct task_struct *)ctx[0];

	return report(ctx, victim, total_vm(victim), false);
}

SEC("raw_tp/mark_victim")
int raw_mark_victim(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *victim = (struct task_struct *)ctx->args[0];

	return report(ctx, victim, total_vm(victim), false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
