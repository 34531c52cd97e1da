//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* profile: timed stack sampling. A cpu-clock perf event on each CPU runs
 * this program at -F HZ (or every -c COUNT events); it counts the sampled
 * thread's kernel and user stacks in the counts map, which user space
 * reads at the end. User stacks come from bpf_get_stackid's frame-pointer
 * walk (--unwind=fp) or from the .eh_frame walker (unwind.bpf.h). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "profile.h"
#include "stacks.bpf.h"
#include "unwind.bpf.h"

const volatile __u32 filter_tgid = 0; /* -p: 0 means any */
const volatile __u32 filter_tid = 0;  /* -L */
const volatile bool user_stacks = true;   /* false with -K */
const volatile bool kernel_stacks = true; /* false with -U */
const volatile bool include_idle = false; /* -I */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pb_stack_key);
	__type(value, __u64);
} counts SEC(".maps");

SEC("perf_event")
int do_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;
	struct pb_stack_key key = {};
	__u64 one = 1, *n;

	if (!include_idle && tid == 0)
		return 0;
	if (filter_tgid && tgid != filter_tgid)
		return 0;
	if (filter_tid && tid != filter_tid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	key.pid = tgid;
	key.tid = tid;
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	if (!user_stacks)
		key.user_stack_id = PB_NOT_COLLECTED;
	else if (unwind_user)
		key.user_stack_id = unwind_user_stack(tgid);
	else
		key.user_stack_id = stack_id(ctx, BPF_F_USER_STACK);
	key.kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;

	n = bpf_map_lookup_elem(&counts, &key);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return 0;
	}
	if (update_counted(&counts, &key, &one, BPF_NOEXIST, PROFILE_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, &key);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
