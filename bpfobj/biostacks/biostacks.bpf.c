//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* biostacks: block I/O latency histograms by the kernel stack that
 * started each request, as libbpf-tools' biostacks, whose fentry/kprobe
 * on blk_account_io_start is stood in for by the block_rq_insert or, for
 * a request issued directly, block_rq_issue tracepoint: both run in the
 * submitting task with the submission path on the stack. The request's
 * start is its first sight; its completion (block_rq_complete) adds it to
 * its histogram. -d applies at the start. Hooks: tp_btf, else raw
 * tracepoints (the request is the key; tracefs tracepoints do not give
 * it, and a stack needs the task's context anyway). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "blk.bpf.h"
#include "biostacks.h"

const volatile bool filter_dev = false; /* -d */
const volatile __u32 targ_dev = 0;
const volatile bool targ_ms = false; /* -m */

struct start {
	__u64 ts;
	struct biostacks_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 4096);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, BIOSTACKS_MAX_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct biostacks_key);
	__type(value, struct biostacks_hist);
} hists SEC(".maps");

static const struct biostacks_hist empty_hist = {};

/* At insert, always a new request; at issue, one seen at insert keeps
 * that start. */
static __always_inline int first_sight(void *ctx, struct request *rq, bool issue)
{
	__u64 id = (__u64)rq;
	struct start s = {};
	__u32 dev;

	if (issue && bpf_map_lookup_elem(&starts, &id))
		return 0;
	dev = blk_rq_dev(rq);
	if (filter_dev && dev != targ_dev)
		return 0;
	s.ts = bpf_ktime_get_ns();
	s.key.pid = bpf_get_current_pid_tgid() >> 32;
	s.key.dev = dev;
	bpf_get_current_comm(s.key.comm, sizeof(s.key.comm));
	s.key.stackid = bpf_get_stackid(ctx, &stacks, 0);
	if (s.key.stackid < 0)
		count_full(BIOSTACKS_FULL_STACKS); /* full, or a hash collision */
	update_counted(&starts, &id, &s, BPF_ANY, BIOSTACKS_FULL_STARTS);
	return 0;
}

static __always_inline int complete(struct request *rq)
{
	__u64 id = (__u64)rq, delta, slot;
	struct biostacks_hist *h;
	struct start *s;

	s = bpf_map_lookup_elem(&starts, &id);
	if (!s)
		return 0;
	delta = bpf_ktime_get_ns() - s->ts;
	h = bpf_map_lookup_elem(&hists, &s->key);
	if (!h) {
		bpf_map_update_elem(&hists, &s->key, &empty_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &s->key);
		if (!h) {
			count_full(BIOSTACKS_FULL_HISTS);
			goto out;
		}
	}
	delta /= targ_ms ? 1000000 : 1000;
	slot = log2_u64(delta);
	if (slot >= BIOSTACKS_MAX_SLOTS)
		slot = BIOSTACKS_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
out:
	bpf_map_delete_elem(&starts, &id);
	return 0;
}

SEC("tp_btf/block_rq_insert")
int btf_rq_insert(__u64 *ctx)
{
	return first_sight(ctx, blk_queued_rq(ctx), false);
}

SEC("tp_btf/block_rq_issue")
int btf_rq_issue(__u64 *ctx)
{
	return first_sight(ctx, blk_queued_rq(ctx), true);
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(btf_rq_complete, struct request *rq)
{
	return complete(rq);
}

SEC("raw_tp/block_rq_insert")
int raw_rq_insert(__u64 *ctx)
{
	return first_sight(ctx, blk_queued_rq(ctx), false);
}

SEC("raw_tp/block_rq_issue")
int raw_rq_issue(__u64 *ctx)
{
	return first_sight(ctx, blk_queued_rq(ctx), true);
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(raw_rq_complete, struct request *rq)
{
	return complete(rq);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
