//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* drsnoop: direct reclaim stalls, the time an allocating task spent
 * reclaiming memory itself, with the pages it reclaimed. Global direct
 * reclaim (mm_vmscan_direct_reclaim_*) and reclaim against a memory
 * cgroup's limit (mm_vmscan_memcg_reclaim_*), both in the task's context. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "drsnoop.h"

const volatile __u32 filter_pid = 0; /* tgid */
const volatile __u32 filter_tid = 0;
const volatile __u64 vm_zone_stat_addr = 0; /* -e: &vm_zone_stat[0] (NR_FREE_PAGES) */

struct start {
	__u64 ts;
	__u64 free_pages;
	__u32 memcg;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct reclaim_event);
} scratch SEC(".maps");

static __always_inline int begin(bool memcg)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct start s = {.memcg = memcg};

	if (filter_pid && (id >> 32) != filter_pid)
		return 0;
	if (filter_tid && tid != filter_tid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	s.ts = bpf_ktime_get_ns();
	if (vm_zone_stat_addr)
		bpf_probe_read_kernel(&s.free_pages, sizeof(s.free_pages), (void *)vm_zone_stat_addr);
	update_counted(&starts, &tid, &s, BPF_ANY, 0);
	return 0;
}

static __always_inline int end(void *ctx, __u64 nr_reclaimed)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct reclaim_event *e;
	struct start *s;

	s = bpf_map_lookup_elem(&starts, &tid);
	if (!s)
		return 0;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e)
		goto out;
	e->ts_ns = bpf_ktime_get_ns();
	e->delta_ns = e->ts_ns - s->ts;
	e->nr_reclaimed = nr_reclaimed;
	e->nr_free_pages = s->free_pages;
	e->pid = id >> 32;
	e->tid = tid;
	e->memcg = s->memcg;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	event_submit(ctx, e, sizeof(*e));
out:
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

SEC("tp_btf/mm_vmscan_direct_reclaim_begin")
int btf_direct_begin(u64 *ctx) { return begin(false); }
SEC("tp_btf/mm_vmscan_direct_reclaim_end")
int btf_direct_end(u64 *ctx) { return end(ctx, ctx[0]); }
SEC("tp_btf/mm_vmscan_memcg_reclaim_begin")
int btf_memcg_begin(u64 *ctx) { return begin(true); }
SEC("tp_btf/mm_vmscan_memcg_reclaim_end")
int btf_memcg_end(u64 *ctx) { return end(ctx, ctx[0]); }

SEC("raw_tp/mm_vmscan_direct_reclaim_begin")
int raw_direct_begin(struct bpf_raw_tracepoint_args *ctx) { return begin(false); }
SEC("raw_tp/mm_vmscan_direct_reclaim_end")
int raw_direct_end(struct bpf_raw_tracepoint_args *ctx) { return end(ctx, ctx->args[0]); }
SEC("raw_tp/mm_vmscan_memcg_reclaim_begin")
int raw_memcg_begin(struct bpf_raw_tracepoint_args *ctx) { return begin(true); }
SEC("raw_tp/mm_vmscan_memcg_reclaim_end")
int raw_memcg_end(struct bpf_raw_tracepoint_args *ctx) { return end(ctx, ctx->args[0]); }

char LICENSE[] SEC("license") = "Dual BSD/GPL";
