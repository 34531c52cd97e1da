//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* writeback: one event per writeback work done, with its latency and
 * reason, as bpftrace's writeback.bt. writeback_start stamps the work,
 * writeback_written reports it. Hooks: tp_btf or raw tracepoints (the work
 * itself is the key), else tracefs tracepoints (keyed by file system
 * device, as writeback.bt: concurrent works on one device share a stamp). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "writeback.h"

const volatile struct writeback_event *unused_event __attribute__((unused));

struct start {
	__u64 ts;
	__s64 nr_pages; /* the work's page budget then */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct start);
} starts SEC(".maps");

static __always_inline void stamp(__u64 key, __s64 nr_pages)
{
	struct start s = {.ts = bpf_ktime_get_ns(), .nr_pages = nr_pages};

	update_counted(&starts, &key, &s, BPF_ANY, WRITEBACK_FULL_STARTS);
}

/* Fills in the latency and the pages written (the budget used) when the
 * start was seen. */
static __always_inline void since(__u64 key, struct writeback_event *ev, __s64 nr_pages)
{
	struct start *s = bpf_map_lookup_elem(&starts, &key);

	ev->nr_pages = nr_pages;
	if (!s)
		return;
	ev->lat_ns = bpf_ktime_get_ns() - s->ts;
	ev->written = s->nr_pages - nr_pages;
	ev->started = 1;
	bpf_map_delete_elem(&starts, &key);
}

static __always_inline int written(void *ctx, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct writeback_event ev = {};
	struct super_block *sb;
	const char *name;

	since((__u64)work, &ev, BPF_CORE_READ(work, nr_pages));
	ev.reason = BPF_CORE_READ(work, reason);
	sb = BPF_CORE_READ(work, sb);
	if (sb)
		ev.sb_dev = BPF_CORE_READ(sb, s_dev);
	name = BPF_CORE_READ(wb, bdi, dev, kobj.name);
	if (name)
		bpf_probe_read_kernel_str(ev.name, sizeof(ev.name), name);
	emit(ctx, &ev, sizeof(ev));
	return 0;
}

SEC("tp_btf/writeback_start")
int BPF_PROG(btf_start, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	stamp((__u64)work, BPF_CORE_READ(work, nr_pages));
	return 0;
}

SEC("tp_btf/writeback_written")
int BPF_PROG(btf_written, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	return written(ctx, wb, work);
}

SEC("raw_tp/writeback_start")
int BPF_PROG(raw_start, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	stamp((__u64)work, BPF_CORE_READ(work, nr_pages));
	return 0;
}

SEC("raw_tp/writeback_written")
int BPF_PROG(raw_written, struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	return written(ctx, wb, work);
}

SEC("tracepoint/writeback/writeback_start")
int tp_start(struct trace_event_raw_writeback_work_class *ctx)
{
	stamp(BPF_CORE_READ(ctx, sb_dev), BPF_CORE_READ(ctx, nr_pages));
	return 0;
}

SEC("tracepoint/writeback/writeback_written")
int tp_written(struct trace_event_raw_writeback_work_class *ctx)
{
	struct writeback_event ev = {};

	ev.sb_dev = BPF_CORE_READ(ctx, sb_dev);
	since(ev.sb_dev, &ev, BPF_CORE_READ(ctx, nr_pages));
	ev.reason = BPF_CORE_READ(ctx, reason);
	bpf_core_read(ev.name, sizeof(ev.name), &ctx->name);
	emit(ctx, &ev, sizeof(ev));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
