//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* biolatency: block I/O latency as log2 histograms, kept in the hists map
 * that user space copies out and clears at each interval.
 *
 * block_rq_issue stamps a request (block_rq_insert too with -Q, so the
 * time spent queued counts); block_rq_complete adds the time since to the
 * histogram of its disk and flags. The -c and -d filters apply when the
 * request is stamped. Hooks: tp_btf, else raw tracepoints (keyed by
 * request pointer), else tracefs tracepoints (keyed by disk and sector). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "blk.bpf.h"
#include "pow2hist.bpf.h"
#include "biolatency.h"

const volatile bool filter_dev = false; /* -d */
const volatile __u32 targ_dev = 0;
const volatile bool targ_queued = false;   /* -Q */
const volatile bool targ_per_disk = false; /* -D */
const volatile bool targ_per_flag = false; /* -F */
const volatile bool targ_ms = false;       /* -m */

/* Start time of each request in flight. A plain hash, not an LRU: an LRU
 * makes room by forgetting the oldest request, silently, while a hash
 * refuses the new one, which is counted (BIOLATENCY_FULL_STARTS) and
 * reported. A request the kernel frees without completing (merged into
 * another after its insert, with -Q) leaves its entry behind; keyed by
 * request pointer, the entry is overwritten when the request is reused,
 * so only the tracefs fallback's disk-and-sector keys can pile up. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct blk_rq_key);
	__type(value, __u64);
} starts SEC(".maps");

/* A completion with no room for its histogram's key counts in
 * BIOLATENCY_FULL_HISTS. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct biolatency_key);
	__type(value, struct biolatency_hist);
} hists SEC(".maps");

/* pow2_seconds mode only: sums and sizes per histogram key, sized like
 * hists by user space (one key otherwise). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct biolatency_key);
	__type(value, struct biolatency_extra);
} extras SEC(".maps");

static const struct biolatency_hist empty_hist = {};
static const struct biolatency_extra empty_extra = {};

static __always_inline void add_extra(struct biolatency_key *hkey, __u64 ns, __u64 bytes)
{
	struct biolatency_extra *x;
	__u64 slot;

	x = bpf_map_lookup_elem(&extras, hkey);
	if (!x) {
		bpf_map_update_elem(&extras, hkey, &empty_extra, BPF_NOEXIST);
		x = bpf_map_lookup_elem(&extras, hkey);
		if (!x) {
			count_full(BIOLATENCY_FULL_HISTS);
			return;
		}
	}
	__sync_fetch_and_add(&x->sum_ns, ns);
	__sync_fetch_and_add(&x->sum_bytes, bytes);
	slot = log2_ceil(bytes);
	if (slot >= BIOLATENCY_MAX_SLOTS)
		slot = BIOLATENCY_MAX_SLOTS - 1;
	__sync_fetch_and_add(&x->byte_slots[slot], 1);
}

static __always_inline bool wanted(__u32 dev)
{
	if (filter_dev && dev != targ_dev)
		return false;
	return cgroup_allowed();
}

/* The filters are decided where the request is first seen, in the task
 * that submitted it: at insert when there is one, else at issue. Insert
 * matters for -Q, and for -c: issue can run in a kernel worker (seen with
 * loop devices on 6.1), whose cgroup is not the submitter's. */
static __always_inline int on_insert(struct blk_rq_key *key, __u32 dev)
{
	__u64 ts;

	if ((!targ_queued && !filter_cgroup) || !wanted(dev))
		return 0;
	ts = bpf_ktime_get_ns();
	update_counted(&starts, key, &ts, BPF_ANY, BIOLATENCY_FULL_STARTS);
	return 0;
}

static __always_inline int on_issue(struct blk_rq_key *key, __u32 dev)
{
	__u64 *tsp, ts;

	tsp = bpf_map_lookup_elem(&starts, key);
	if (tsp) {
		/* Seen at insert: -Q keeps that time, else issue starts it. */
		if (!targ_queued)
			*tsp = bpf_ktime_get_ns();
		return 0;
	}
	if (!wanted(dev))
		return 0;
	ts = bpf_ktime_get_ns();
	update_counted(&starts, key, &ts, BPF_ANY, BIOLATENCY_FULL_STARTS);
	return 0;
}

static __always_inline int on_complete(struct blk_rq_key *key, __u32 dev, __u32 cmd_flags, __u64 bytes)
{
	struct biolatency_key hkey = {};
	struct biolatency_hist *h;
	__u64 *tsp, now, delta, slot;

	tsp = bpf_map_lookup_elem(&starts, key);
	if (!tsp)
		return 0;
	now = bpf_ktime_get_ns();
	if (now < *tsp)
		goto out;
	delta = now - *tsp;
	if (targ_per_disk)
		hkey.dev = dev;
	if (targ_per_flag)
		/* The exporter keys by operation only (REQ_OP_BITS), which bounds
		 * its keys to disks times operations. */
		hkey.cmd_flags = pow2_seconds ? cmd_flags & 0xff : cmd_flags;
	h = bpf_map_lookup_elem(&hists, &hkey);
	if (!h) {
		/* Failing with EEXIST is fine: another CPU added the key. */
		bpf_map_update_elem(&hists, &hkey, &empty_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &hkey);
		if (!h) {
			count_full(BIOLATENCY_FULL_HISTS);
			goto out;
		}
	}
	if (pow2_seconds) {
		add_extra(&hkey, delta, bytes);
		delta = pow2s_units(delta);
	} else {
		delta /= targ_ms ? 1000000 : 1000;
	}
	slot = log2_u64(delta);
	if (slot >= BIOLATENCY_MAX_SLOTS)
		slot = BIOLATENCY_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
out:
	bpf_map_delete_elem(&starts, key);
	return 0;
}

static __always_inline int rq_insert(struct request *rq)
{
	struct blk_rq_key k = {.id = (__u64)rq};
	return on_insert(&k, blk_rq_dev(rq));
}

static __always_inline int rq_issue(struct request *rq)
{
	struct blk_rq_key k = {.id = (__u64)rq};
	return on_issue(&k, blk_rq_dev(rq));
}

static __always_inline int rq_complete(struct request *rq, unsigned int nr_bytes)
{
	struct blk_rq_key k = {.id = (__u64)rq};
	return on_complete(&k, blk_rq_dev(rq), BPF_CORE_READ(rq, cmd_flags), nr_bytes);
}

SEC("tp_btf/block_rq_insert")
int btf_rq_insert(__u64 *ctx)
{
	return rq_insert(blk_queued_rq(ctx));
}

SEC("tp_btf/block_rq_issue")
int btf_rq_issue(__u64 *ctx)
{
	return rq_issue(blk_queued_rq(ctx));
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(btf_rq_complete, struct request *rq, int error, unsigned int nr_bytes)
{
	return rq_complete(rq, nr_bytes);
}

SEC("raw_tp/block_rq_insert")
int raw_rq_insert(__u64 *ctx)
{
	return rq_insert(blk_queued_rq(ctx));
}

SEC("raw_tp/block_rq_issue")
int raw_rq_issue(__u64 *ctx)
{
	return rq_issue(blk_queued_rq(ctx));
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(raw_rq_complete, struct request *rq, int error, unsigned int nr_bytes)
{
	return rq_complete(rq, nr_bytes);
}

/* tracefs tracepoints: the request is known by disk and start sector. */
SEC("tracepoint/block/block_rq_insert")
int tp_rq_insert(struct trace_event_raw_block_rq *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	struct blk_rq_key k = {.id = BPF_CORE_READ(ctx, sector), .dev = dev};

	return on_insert(&k, dev);
}

SEC("tracepoint/block/block_rq_issue")
int tp_rq_issue(struct trace_event_raw_block_rq *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	struct blk_rq_key k = {.id = BPF_CORE_READ(ctx, sector), .dev = dev};

	return on_issue(&k, dev);
}

SEC("tracepoint/block/block_rq_complete")
int tp_rq_complete(struct trace_event_raw_block_rq_completion *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	struct blk_rq_key k = {.id = BPF_CORE_READ(ctx, sector), .dev = dev};
	char rwbs[8];

	bpf_core_read(rwbs, sizeof(rwbs), &ctx->rwbs);
	return on_complete(&k, dev, blk_rwbs_flags(rwbs), (__u64)BPF_CORE_READ(ctx, nr_sector) << 9);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
