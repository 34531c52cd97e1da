//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* funclatency: time from a function's entry to its return, as log2
 * histograms. Entry programs push the time on the calling thread's stack
 * of open calls (nested or recursive calls up to -l levels), return
 * programs pop it. One program per probe kind serves every target (the
 * attach cookie is the target's index, which -F keys histograms by);
 * fentry/fexit serve one kernel function. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "funclatency.h"

const volatile __s32 filter_tgid = 0;  /* -p: 0 means any */
const volatile __u64 unit_ns = 1;      /* 1, 1000 (-u) or 1000000 (-m) */
const volatile bool per_function = false; /* -F */
const volatile __u32 max_level = 1;    /* -l */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct funclat_stack);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set to the number of targets with -F */
	__type(key, __u32);
	__type(value, struct funclat_hist);
} hists SEC(".maps");

static const struct funclat_stack empty_stack = {};

static __always_inline bool traced(void)
{
	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return false;
	return cgroup_allowed();
}

static __always_inline int on_entry(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct funclat_stack *s;
	__u32 d;

	if (!traced())
		return 0;
	s = bpf_map_lookup_elem(&start, &tid);
	if (!s) {
		update_counted(&start, &tid, &empty_stack, BPF_NOEXIST, FUNCLAT_FULL_START);
		s = bpf_map_lookup_elem(&start, &tid);
		if (!s)
			return 0;
	}
	d = s->depth;
	s->depth = d + 1;
	if (d < max_level && d < FUNCLAT_MAX_LEVEL) {
		asm volatile("" : "+r"(d)); /* keep the mask below: the verifier needs it */
		s->ts[d & (FUNCLAT_MAX_LEVEL - 1)] = bpf_ktime_get_ns();
	}
	return 0;
}

static __always_inline int on_return(__u32 idx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct funclat_stack *s;
	struct funclat_hist *h;
	__u64 delta, slot;
	__u32 d;

	s = bpf_map_lookup_elem(&start, &tid);
	if (!s || !s->depth)
		return 0; /* entered before tracing began */
	d = --s->depth;
	if (d >= max_level || d >= FUNCLAT_MAX_LEVEL)
		return 0;
	asm volatile("" : "+r"(d)); /* keep the mask below: the verifier needs it */
	delta = (bpf_ktime_get_ns() - s->ts[d & (FUNCLAT_MAX_LEVEL - 1)]) / unit_ns;
	if (!d)
		bpf_map_delete_elem(&start, &tid);
	if (!per_function)
		idx = 0;
	h = bpf_map_lookup_elem(&hists, &idx);
	if (!h)
		return 0;
	slot = log2_u64(delta);
	if (slot >= FUNCLAT_MAX_SLOTS)
		slot = FUNCLAT_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->total, delta);
	return 0;
}

SEC("kprobe")
int entry_kprobe(void *ctx)
{
	return on_entry();
}

SEC("kretprobe")
int return_kprobe(void *ctx)
{
	return on_return(bpf_get_attach_cookie(ctx));
}

SEC("uprobe")
int entry_uprobe(void *ctx)
{
	return on_entry();
}

SEC("uretprobe")
int return_uprobe(void *ctx)
{
	return on_return(bpf_get_attach_cookie(ctx));
}

/* AttachTo is set by user space to the one kernel function. */
SEC("fentry")
int entry_fentry(void *ctx)
{
	return on_entry();
}

SEC("fexit")
int return_fexit(void *ctx)
{
	return on_return(0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
