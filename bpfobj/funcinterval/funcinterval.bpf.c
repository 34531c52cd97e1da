//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* funcinterval: the time between consecutive calls of a function or
 * tracepoint (any of the matched targets), as one log2 histogram. The
 * previous call's time is swapped atomically for the current one, so
 * calls on several CPUs each see exactly one predecessor. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "probebox.bpf.h"
#include "bits.bpf.h"
#include "funcinterval.h"

const volatile __s32 filter_tgid = 0;
const volatile __u64 unit_ns = 1;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} last SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct funcint_hist);
} hist SEC(".maps");

static __always_inline int on_call(void)
{
	__u32 zero = 0;
	struct funcint_hist *h;
	__u64 *lastp, now, prev, slot;

	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	lastp = bpf_map_lookup_elem(&last, &zero);
	h = bpf_map_lookup_elem(&hist, &zero);
	if (!lastp || !h)
		return 0;
	now = bpf_ktime_get_ns();
	prev = __sync_lock_test_and_set(lastp, now);
	if (!prev || now < prev)
		return 0; /* the first call, or one that lost a race by a hair */
	slot = log2_u64((now - prev) / unit_ns);
	if (slot >= FUNCINT_MAX_SLOTS)
		slot = FUNCINT_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

SEC("kprobe")
int on_kprobe(void *ctx)
{
	return on_call();
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	return on_call();
}

SEC("tracepoint")
int on_tracepoint(void *ctx)
{
	return on_call();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
