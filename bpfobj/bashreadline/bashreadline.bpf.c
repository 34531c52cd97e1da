//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* bashreadline: lines typed into bash, from a uretprobe on readline()
 * (bash's own copy, or the libreadline it links): the return value is the
 * line the user entered. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "regs.bpf.h"
#include "bashreadline.h"

const volatile __u32 filter_pid = 0;     /* tgid; 0: any */
const volatile bool only_bash = false;   /* a shared libreadline: bash's calls only */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct line_event);
} scratch SEC(".maps");

SEC("uretprobe")
int uretprobe_readline(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	void *ret = (void *)pb_reg_ret(ctx);
	struct line_event *e;
	char comm[TASK_COMM_LEN];

	if (!ret)
		return 0; /* end of input */
	if (filter_pid && (__u32)(id >> 32) != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if (only_bash && !(comm[0] == 'b' && comm[1] == 'a' && comm[2] == 's' && comm[3] == 'h' && comm[4] == 0))
		return 0;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = id >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	__builtin_memcpy(e->comm, comm, sizeof(comm));
	if (bpf_probe_read_user_str(e->line, sizeof(e->line), ret) < 0)
		e->line[0] = 0;
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
