//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* threadsnoop: threads created through pthread_create(), with the start
 * function, from a uprobe on the C library's pthread_create (libc since
 * glibc 2.34, libpthread before). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "regs.bpf.h"
#include "threadsnoop.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct thread_event);
} scratch SEC(".maps");

/* int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
 *                    void *(*start_routine)(void *), void *arg) */
SEC("uprobe")
int uprobe_pthread_create(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct thread_event *e;
	char comm[TASK_COMM_LEN];

	if (filter_pid && (__u32)(id >> 32) != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (!comm_allowed(comm))
		return 0;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->start = pb_reg_arg(ctx, 2);
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cgroup_id = bpf_get_current_cgroup_id();
	__builtin_memcpy(e->comm, comm, sizeof(comm));
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
