//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* bitesize: block I/O request sizes as log2 histograms of KiB, one per
 * process name, counted when a request is issued. The process is the one
 * that submitted the request (blkwho.bpf.h). -c and -d are applied here,
 * in the kernel. Hooks: tp_btf, else raw tracepoints, else tracefs
 * tracepoints (keyed by disk and sector). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "blk.bpf.h"
#include "bitesize.h"
#define BLK_WHO_FULL_SLOT BITESIZE_FULL_WHOS
#include "blkwho.bpf.h"

const volatile bool filter_dev = false; /* -d */
const volatile __u32 targ_dev = 0;
const volatile char targ_comm[TASK_COMM_LEN] = {}; /* -c, a prefix */

/* A request whose name has no room counts in BITESIZE_FULL_HISTS. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct bitesize_key);
	__type(value, struct bitesize_hist);
} hists SEC(".maps");

static const struct bitesize_hist empty_hist = {};

static __always_inline int on_insert(struct blk_rq_key *k, __u32 dev)
{
	if (filter_dev && dev != targ_dev)
		return 0;
	blk_who_remember(k);
	return 0;
}

static __always_inline int on_issue(struct blk_rq_key *k, __u32 dev, __u64 bytes)
{
	struct bitesize_key hkey = {};
	struct bitesize_hist *h;
	struct blk_who w = {};
	__u64 slot;

	if (filter_dev && dev != targ_dev)
		return 0;
	blk_who_at_issue(k, &w);
	if (!blk_comm_prefix(w.comm, targ_comm))
		return 0;
	__builtin_memcpy(hkey.comm, w.comm, sizeof(hkey.comm));
	h = bpf_map_lookup_elem(&hists, &hkey);
	if (!h) {
		bpf_map_update_elem(&hists, &hkey, &empty_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &hkey);
		if (!h) {
			count_full(BITESIZE_FULL_HISTS);
			return 0;
		}
	}
	slot = log2_u64(bytes / 1024);
	if (slot >= BITESIZE_MAX_SLOTS)
		slot = BITESIZE_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
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
	return on_issue(&k, blk_rq_dev(rq), BPF_CORE_READ(rq, __data_len));
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

	return on_issue(&k, dev, BPF_CORE_READ(ctx, bytes));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
