//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* stackcount: count the stacks that reach an event. The same counting runs
 * from a tracepoint, a uprobe or a kprobe program; user space attaches
 * whichever the pattern names, to every match. User stacks come from
 * bpf_get_stackid's frame-pointer walk (--unwind=fp) or from the
 * .eh_frame walker (unwind.bpf.h). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "stackcount.h"
#include "stacks.bpf.h"
#include "unwind.bpf.h"

const volatile __u32 filter_tgid = 0; /* -p: 0 means any */
const volatile __s32 filter_cpu = -1; /* -c */
const volatile bool user_stacks = true;   /* false with -K */
const volatile bool kernel_stacks = true; /* false with -U */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct pb_stack_key);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int count_stack(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pb_stack_key key = {};
	__u64 one = 1, *n;

	if (filter_tgid && (id >> 32) != filter_tgid)
		return 0;
	if (filter_cpu >= 0 && bpf_get_smp_processor_id() != (__u32)filter_cpu)
		return 0;
	if (!cgroup_allowed())
		return 0;
	key.pid = id >> 32;
	key.tid = (__u32)id;
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	if (!user_stacks)
		key.user_stack_id = PB_NOT_COLLECTED;
	else if (unwind_user)
		key.user_stack_id = unwind_user_stack(key.pid);
	else
		key.user_stack_id = stack_id(ctx, BPF_F_USER_STACK);
	key.kernel_stack_id = kernel_stacks ? stack_id(ctx, 0) : PB_NOT_COLLECTED;

	n = bpf_map_lookup_elem(&counts, &key);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return 0;
	}
	if (update_counted(&counts, &key, &one, BPF_NOEXIST, STACKCOUNT_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, &key);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 0;
}

SEC("tracepoint")
int on_tracepoint(void *ctx)
{
	return count_stack(ctx);
}

SEC("uprobe")
int on_uprobe(struct pt_regs *ctx)
{
	return count_stack(ctx);
}

SEC("kprobe")
int on_kprobe(struct pt_regs *ctx)
{
	return count_stack(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
