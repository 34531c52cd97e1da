//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* biopattern: per disk, how many completed requests started where the
 * previous one ended (sequential) and how many elsewhere (random), kept in
 * the counters map that user space copies out and clears at each
 * interval. -d applies here. Hooks: tp_btf, else raw tracepoints, else the
 * tracefs tracepoint: all three show disk, start sector and size. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "blk.bpf.h"
#include "biopattern.h"

const volatile bool filter_dev = false; /* -d */
const volatile __u32 targ_dev = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct biopattern_counter);
} counters SEC(".maps");

static const struct biopattern_counter zero_counter = {};

static __always_inline int on_complete(__u32 dev, __u64 sector, __u32 nr_sector)
{
	struct biopattern_counter *c;

	if (filter_dev && dev != targ_dev)
		return 0;
	c = bpf_map_lookup_elem(&counters, &dev);
	if (!c) {
		bpf_map_update_elem(&counters, &dev, &zero_counter, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&counters, &dev);
		if (!c) {
			count_full(BIOPATTERN_FULL_COUNTERS);
			return 0;
		}
	}
	/* Racy between CPUs completing on one disk at once, as the peers'
	 * tool is: the pattern is a statistic, not an audit. */
	if (c->last_sector == sector)
		__sync_fetch_and_add(&c->sequential, 1);
	else
		__sync_fetch_and_add(&c->random, 1);
	__sync_fetch_and_add(&c->bytes, (__u64)nr_sector * 512);
	c->last_sector = sector + nr_sector;
	return 0;
}

static __always_inline int rq_complete(struct request *rq, unsigned int nr_bytes)
{
	return on_complete(blk_rq_dev(rq), BPF_CORE_READ(rq, __sector), nr_bytes >> 9);
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(btf_rq_complete, struct request *rq, int error, unsigned int nr_bytes)
{
	return rq_complete(rq, nr_bytes);
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(raw_rq_complete, struct request *rq, int error, unsigned int nr_bytes)
{
	return rq_complete(rq, nr_bytes);
}

SEC("tracepoint/block/block_rq_complete")
int tp_rq_complete(struct trace_event_raw_block_rq_completion *ctx)
{
	return on_complete(BPF_CORE_READ(ctx, dev), BPF_CORE_READ(ctx, sector), BPF_CORE_READ(ctx, nr_sector));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
