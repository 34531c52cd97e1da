//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* exitsnoop: process and thread exits, from sched_process_exit. The
 * tracepoint fires in do_exit() after task->exit_code is set, in the
 * exiting task's context, so everything is read from the current task. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "exitsnoop.h"

const volatile __u32 filter_pid = 0;     /* tgid; 0: any */
const volatile bool per_thread = false;  /* -T: every thread, not only leaders */
const volatile bool failed_only = false; /* -x: non-zero exit code or signal */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exit_event);
} scratch SEC(".maps");

static __always_inline int on_exit(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;
	struct task_struct *task;
	struct exit_event *e;
	__u32 code;

	if (filter_pid && tgid != filter_pid)
		return 0;
	/* Without -T a process is reported once, when its main thread
	 * exits (libbpf-tools' rule). */
	if (!per_thread && tgid != tid)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	code = BPF_CORE_READ(task, exit_code);
	if (failed_only && code == 0)
		return 0;
	if (!cgroup_allowed())
		return 0;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		return 0;
	e->start_ns = BPF_CORE_READ(task, start_time);
	e->exit_ns = bpf_ktime_get_ns();
	e->pid = tgid;
	e->tid = tid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = code;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->pad = 0;
	e->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int btf_sched_process_exit(void *ctx)
{
	return on_exit(ctx);
}

SEC("raw_tp/sched_process_exit")
int raw_sched_process_exit(void *ctx)
{
	return on_exit(ctx);
}

SEC("tracepoint/sched/sched_process_exit")
int tp_sched_process_exit(void *ctx)
{
	return on_exit(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
