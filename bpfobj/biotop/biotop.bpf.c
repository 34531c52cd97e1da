//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* biotop: block I/O by process, disk and direction, summed in the counts
 * map that user space copies out and clears at each interval.
 *
 * block_rq_insert remembers who submitted a request (blkwho.bpf.h);
 * block_rq_issue stamps it with that task, its size and the time (the -p
 * filter applies here); block_rq_complete adds it to its row. Hooks:
 * tp_btf, else raw tracepoints (keyed by request pointer), else tracefs
 * tracepoints (keyed by disk and sector). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "blk.bpf.h"
#include "biotop.h"
#define BLK_WHO_FULL_SLOT BIOTOP_FULL_WHOS
#include "blkwho.bpf.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct start {
	__u64 ts;
	__u64 bytes;
	struct blk_who who;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct blk_rq_key);
	__type(value, struct start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct biotop_key);
	__type(value, struct biotop_val);
} counts SEC(".maps");

static const struct biotop_val zero_val = {};

static __always_inline int on_insert(struct blk_rq_key *k)
{
	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	blk_who_remember(k);
	return 0;
}

static __always_inline int on_issue(struct blk_rq_key *k, __u64 bytes)
{
	struct start s = {};

	blk_who_at_issue(k, &s.who);
	if (targ_pid && s.who.pid != targ_pid)
		return 0;
	s.ts = bpf_ktime_get_ns();
	s.bytes = bytes;
	update_counted(&starts, k, &s, BPF_ANY, BIOTOP_FULL_STARTS);
	return 0;
}

static __always_inline int on_complete(struct blk_rq_key *k, __u32 dev, bool write)
{
	struct biotop_key key = {};
	struct biotop_val *v;
	struct start *s;
	__u64 now;

	s = bpf_map_lookup_elem(&starts, k);
	if (!s)
		return 0;
	now = bpf_ktime_get_ns();
	key.pid = s->who.pid;
	key.dev = dev;
	key.rwflag = write;
	__builtin_memcpy(key.comm, s->who.comm, sizeof(key.comm));
	v = bpf_map_lookup_elem(&counts, &key);
	if (!v) {
		bpf_map_update_elem(&counts, &key, &zero_val, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&counts, &key);
		if (!v) {
			count_full(BIOTOP_FULL_COUNTS);
			goto out;
		}
	}
	__sync_fetch_and_add(&v->bytes, s->bytes);
	if (now > s->ts)
		__sync_fetch_and_add(&v->us, (now - s->ts) / 1000);
	__sync_fetch_and_add(&v->io, 1);
out:
	bpf_map_delete_elem(&starts, k);
	return 0;
}

static __always_inline int rq_insert(struct request *rq)
{
	struct blk_rq_key k = {.id = (__u64)rq};
	return on_insert(&k);
}

static __always_inline int rq_issue(struct request *rq)
{
	struct blk_rq_key k = {.id = (__u64)rq};
	return on_issue(&k, BPF_CORE_READ(rq, __data_len));
}

static __always_inline int rq_complete(struct request *rq)
{
	struct blk_rq_key k = {.id = (__u64)rq};
	__u32 op = BPF_CORE_READ(rq, cmd_flags) & 0xff; /* REQ_OP_MASK */

	return on_complete(&k, blk_rq_dev(rq), op == PBX_REQ_OP_WRITE);
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
	return rq_complete(rq);
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
	return rq_complete(rq);
}

SEC("tracepoint/block/block_rq_insert")
int tp_rq_insert(struct trace_event_raw_block_rq *ctx)
{
	struct blk_rq_key k = {.id = BPF_CORE_READ(ctx, sector), .dev = BPF_CORE_READ(ctx, dev)};

	return on_insert(&k);
}

SEC("tracepoint/block/block_rq_issue")
int tp_rq_issue(struct trace_event_raw_block_rq *ctx)
{
	struct blk_rq_key k = {.id = BPF_CORE_READ(ctx, sector), .dev = BPF_CORE_READ(ctx, dev)};

	return on_issue(&k, BPF_CORE_READ(ctx, bytes));
}

SEC("tracepoint/block/block_rq_complete")
int tp_rq_complete(struct trace_event_raw_block_rq_completion *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);
	struct blk_rq_key k = {.id = BPF_CORE_READ(ctx, sector), .dev = dev};
	char rwbs[8];

	bpf_core_read(rwbs, sizeof(rwbs), &ctx->rwbs);
	return on_complete(&k, dev, (blk_rwbs_flags(rwbs) & 0xff) == PBX_REQ_OP_WRITE);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
