//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* funccount: calls of each matched function or tracepoint, counted in the
 * kernel. One program per probe kind serves every target: the probe's
 * attach cookie is the target's index in the per-CPU counts array. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "probebox.bpf.h"
#include "funccount.h"

const volatile __s32 filter_tgid = 0; /* -p: 0 means any */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1); /* set to the number of targets */
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int count(void *ctx)
{
	__u32 idx;
	__u64 *n;

	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	idx = bpf_get_attach_cookie(ctx);
	n = bpf_map_lookup_elem(&counts, &idx);
	if (n)
		*n += 1;
	return 0;
}

SEC("kprobe")
int count_kprobe(void *ctx)
{
	return count(ctx);
}

SEC("uprobe")
int count_uprobe(void *ctx)
{
	return count(ctx);
}

SEC("tracepoint")
int count_tracepoint(void *ctx)
{
	return count(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
