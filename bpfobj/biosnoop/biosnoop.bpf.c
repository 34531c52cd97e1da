//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* biosnoop: one event per completed block I/O request, with the task that
 * queued it and its latency.
 *
 * A request is remembered from the first hook that sees it: block_io_start
 * (6.5+, in the submitting task) or else block_rq_insert / block_rq_issue.
 * That first sight records the task and applies the -c and -d filters;
 * insert and issue stamp their times; block_rq_complete emits and forgets.
 * Hooks: tp_btf, else raw tracepoints (keyed by request pointer), else
 * tracefs tracepoints (keyed by disk and sector). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "blk.bpf.h"
#include "biosnoop.h"

const volatile bool filter_dev = false; /* -d */
const volatile __u32 targ_dev = 0;
const volatile bool targ_queued = false; /* -Q */
const volatile __u64 min_ns = 0;         /* -m, in ns */

/* Names the event type in the object's BTF, for bpf2go -type. */
const volatile struct biosnoop_event *unused_event __attribute__((unused));

struct rq_state {
	__u64 insert_ns;
	__u64 issue_ns;
	__u32 pid;
	__u32 dev;
	__u32 elevator; /* the queue has an I/O scheduler */
	char comm[TASK_COMM_LEN];
};

/* Requests in flight. A plain hash, not an LRU: an LRU makes room by
 * forgetting the oldest request, silently, while a hash refuses the new
 * one, which is counted (BIOSNOOP_FULL_REQUESTS) and reported. A request
 * the kernel frees without completing (merged into another) leaves its
 * entry behind; keyed by request pointer, the entry is overwritten when
 * the request is reused, so only the tracefs fallback's disk-and-sector
 * keys can pile up. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct blk_rq_key);
	__type(value, struct rq_state);
} requests SEC(".maps");

/* first_sight records the current task for a request, if the filters
 * let it through; it returns the state, or NULL. */
static __always_inline struct rq_state *first_sight(struct blk_rq_key *key, __u32 dev)
{
	struct rq_state st = {};

	if (filter_dev && dev != targ_dev)
		return NULL;
	if (!cgroup_allowed())
		return NULL;
	st.pid = bpf_get_current_pid_tgid() >> 32;
	st.dev = dev;
	bpf_get_current_comm(&st.comm, sizeof(st.comm));
	if (update_counted(&requests, key, &st, BPF_ANY, BIOSNOOP_FULL_REQUESTS))
		return NULL;
	return bpf_map_lookup_elem(&requests, key);
}

static __always_inline int on_start(struct blk_rq_key *key, __u32 dev)
{
	first_sight(key, dev);
	return 0;
}

static __always_inline int on_insert(struct blk_rq_key *key, __u32 dev)
{
	struct rq_state *st = bpf_map_lookup_elem(&requests, key);

	if (!st)
		st = first_sight(key, dev);
	if (st && targ_queued)
		st->insert_ns = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_issue(struct blk_rq_key *key, __u32 dev, bool elevator)
{
	struct rq_state *st = bpf_map_lookup_elem(&requests, key);

	if (!st)
		st = first_sight(key, dev);
	if (!st)
		return 0;
	st->issue_ns = bpf_ktime_get_ns();
	st->elevator = elevator;
	return 0;
}

static __always_inline int on_complete(void *ctx, struct blk_rq_key *key, __u64 sector,
				       __u32 len, __u32 cmd_flags)
{
	struct biosnoop_event e = {};
	struct rq_state *st;
	__u64 now;

	st = bpf_map_lookup_elem(&requests, key);
	if (!st)
		return 0;
	now = bpf_ktime_get_ns();
	if (!st->issue_ns || now < st->issue_ns)
		goto out;
	e.delta_ns = now - st->issue_ns;
	if (e.delta_ns < min_ns)
		goto out;
	if (st->insert_ns && st->insert_ns <= st->issue_ns)
		e.qdelta_ns = st->issue_ns - st->insert_ns;
	else if (st->elevator)
		e.qdelta_ns = -1; /* queued by a scheduler, but its insert was missed */
	e.ts_ns = now;
	e.sector = sector;
	e.len = len;
	e.pid = st->pid;
	e.cmd_flags = cmd_flags;
	e.dev = st->dev;
	__builtin_memcpy(e.comm, st->comm, sizeof(e.comm));
	emit(ctx, &e, sizeof(e));
out:
	bpf_map_delete_elem(&requests, key);
	return 0;
}

static __always_inline struct blk_rq_key rq_key(struct request *rq)
{
	struct blk_rq_key k = {.id = (__u64)rq};
	return k;
}

static __always_inline int rq_start(struct request *rq)
{
	struct blk_rq_key k = rq_key(rq);
	return on_start(&k, blk_rq_dev(rq));
}

static __always_inline int rq_insert(struct request *rq)
{
	struct blk_rq_key k = rq_key(rq);
	return on_insert(&k, blk_rq_dev(rq));
}

static __always_inline int rq_issue(struct request *rq)
{
	struct blk_rq_key k = rq_key(rq);
	return on_issue(&k, blk_rq_dev(rq), blk_rq_has_elevator(rq));
}

static __always_inline int rq_complete(void *ctx, struct request *rq)
{
	struct blk_rq_key k = rq_key(rq);
	return on_complete(ctx, &k, BPF_CORE_READ(rq, __sector), BPF_CORE_READ(rq, __data_len),
			   BPF_CORE_READ(rq, cmd_flags));
}

SEC("tp_btf/block_io_start")
int BPF_PROG(btf_io_start, struct request *rq)
{
	return rq_start(rq);
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
int BPF_PROG(btf_rq_complete, struct request *rq)
{
	return rq_complete(ctx, rq);
}

SEC("raw_tp/block_io_start")
int BPF_PROG(raw_io_start, struct request *rq)
{
	return rq_start(rq);
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
int BPF_PROG(raw_rq_complete, struct request *rq)
{
	return rq_complete(ctx, rq);
}

/* tracefs tracepoints: the request is known by disk and start sector. */
static __always_inline struct blk_rq_key tp_key(__u32 dev, __u64 sector)
{
	struct blk_rq_key k = {.id = sector, .dev = dev};
	return k;
}

SEC("tracepoint/block/block_io_start")
int tp_io_start(struct trace_event_raw_block_rq *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	struct blk_rq_key k = tp_key(dev, BPF_CORE_READ(ctx, sector));

	return on_start(&k, dev);
}

SEC("tracepoint/block/block_rq_insert")
int tp_rq_insert(struct trace_event_raw_block_rq *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	struct blk_rq_key k = tp_key(dev, BPF_CORE_READ(ctx, sector));

	return on_insert(&k, dev);
}

SEC("tracepoint/block/block_rq_issue")
int tp_rq_issue(struct trace_event_raw_block_rq *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	struct blk_rq_key k = tp_key(dev, BPF_CORE_READ(ctx, sector));

	return on_issue(&k, dev, false);
}

SEC("tracepoint/block/block_rq_complete")
int tp_rq_complete(struct trace_event_raw_block_rq_completion *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	__u64 sector = BPF_CORE_READ(ctx, sector);
	struct blk_rq_key k = tp_key(dev, sector);
	char rwbs[8];

	bpf_core_read(rwbs, sizeof(rwbs), &ctx->rwbs);
	return on_complete(ctx, &k, sector, BPF_CORE_READ(ctx, nr_sector) << 9, blk_rwbs_flags(rwbs));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
