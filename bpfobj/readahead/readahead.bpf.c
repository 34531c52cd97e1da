//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* readahead: folios that readahead brought into the page cache, how many
 * were used and how long after, as libbpf-tools' readahead.
 *
 * Two hook sets:
 *  - tracepoints (6.10+ kernels): page_cache_ra_unbounded/ra_order give a
 *    thread's readahead window; mm_filemap_add_to_page_cache inside it
 *    records a folio (by device, inode and first index); a read's range
 *    (mm_filemap_get_pages, up to 256 indexes a call) or a fault
 *    (mm_filemap_fault) uses the folios starting there;
 *  - functions, by fentry/fexit or kprobe/kretprobe, as libbpf-tools:
 *    page_cache_ra_unbounded and page_cache_ra_order mark the thread (the
 *    peers' do_page_cache_ra is inlined away on some kernels, Debian's
 *    6.1 among them), filemap_alloc_folio returns the folio recorded,
 *    folio_mark_accessed uses it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "regs.bpf.h"
#include "readahead.h"

struct folio_key {
	__u64 a;   /* inode number, or the struct folio * */
	__u64 b;   /* first page index, or 0 */
	__u32 dev; /* the inode's device, or 0 */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct folio_key);
	__type(value, __u64);
} folios SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct readahead_stats);
} stats SEC(".maps");

struct ra_window {
	__u64 ino;
	__u64 start;
	__u64 end;
	__u32 dev;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct ra_window);
} windows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} in_ra SEC(".maps");

static __always_inline void added(struct folio_key *k)
{
	struct readahead_stats *s;
	__u64 ts = bpf_ktime_get_ns();
	__u32 zero = 0;

	if (update_counted(&folios, k, &ts, BPF_ANY, READAHEAD_FULL_FOLIOS))
		return;
	s = bpf_map_lookup_elem(&stats, &zero);
	if (s)
		__sync_fetch_and_add(&s->total, 1);
}

static __always_inline void used(struct folio_key *k)
{
	struct readahead_stats *s;
	__u64 *ts = bpf_map_lookup_elem(&folios, k), slot;
	__u32 zero = 0;

	if (!ts)
		return;
	slot = log2_u64((bpf_ktime_get_ns() - *ts) / 1000000);
	bpf_map_delete_elem(&folios, k);
	s = bpf_map_lookup_elem(&stats, &zero);
	if (!s)
		return;
	if (slot >= READAHEAD_MAX_SLOTS)
		slot = READAHEAD_MAX_SLOTS - 1;
	__sync_fetch_and_add(&s->used, 1);
	__sync_fetch_and_add(&s->slots[slot], 1);
}

/* Tracepoint set. */
static __always_inline int window(__u32 dev, __u64 ino, __u64 index, __u64 n)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ra_window w = {.ino = ino, .start = index, .end = index + n, .dev = dev};

	bpf_map_update_elem(&windows, &tid, &w, BPF_ANY);
	return 0;
}

SEC("tracepoint/readahead/page_cache_ra_unbounded")
int tp_ra_unbounded(struct trace_event_raw_page_cache_ra_unbounded *ctx)
{
	return window(BPF_CORE_READ(ctx, s_dev), BPF_CORE_READ(ctx, i_ino), BPF_CORE_READ(ctx, index),
		      BPF_CORE_READ(ctx, nr_to_read));
}

SEC("tracepoint/readahead/page_cache_ra_order")
int tp_ra_order(struct trace_event_raw_page_cache_ra_order *ctx)
{
	return window(BPF_CORE_READ(ctx, s_dev), BPF_CORE_READ(ctx, i_ino), BPF_CORE_READ(ctx, index),
		      BPF_CORE_READ(ctx, size));
}

SEC("tracepoint/filemap/mm_filemap_add_to_page_cache")
int tp_add_to_page_cache(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ra_window *w = bpf_map_lookup_elem(&windows, &tid);
	struct folio_key k = {};

	if (!w)
		return 0;
	k.a = BPF_CORE_READ(ctx, i_ino);
	k.b = BPF_CORE_READ(ctx, index);
	k.dev = BPF_CORE_READ(ctx, s_dev);
	if (k.a != w->ino || k.dev != w->dev || k.b < w->start || k.b >= w->end)
		return 0;
	added(&k);
	return 0;
}

#define SCAN_MAX 256

SEC("tracepoint/filemap/mm_filemap_get_pages")
int tp_get_pages(struct trace_event_raw_mm_filemap_op_page_cache_range *ctx)
{
	struct folio_key k = {};
	__u64 index = BPF_CORE_READ(ctx, index), last = BPF_CORE_READ(ctx, last_index);
	int i;

	/* The readahead of this read, if any, is over. */
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_delete_elem(&windows, &tid);
	k.a = BPF_CORE_READ(ctx, i_ino);
	k.dev = BPF_CORE_READ(ctx, s_dev);
	for (i = 0; i < SCAN_MAX; i++) {
		if (index + i > last)
			break;
		k.b = index + i;
		used(&k);
	}
	return 0;
}

SEC("tracepoint/filemap/mm_filemap_fault")
int tp_fault(struct trace_event_raw_mm_filemap_fault *ctx)
{
	struct folio_key k = {};

	k.a = BPF_CORE_READ(ctx, i_ino);
	k.b = BPF_CORE_READ(ctx, index);
	k.dev = BPF_CORE_READ(ctx, s_dev);
	used(&k);
	return 0;
}

/* Function set. */
static __always_inline int ra_enter(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u8 one = 1;

	bpf_map_update_elem(&in_ra, &tid, &one, BPF_ANY);
	return 0;
}

static __always_inline int ra_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&in_ra, &tid);
	return 0;
}

static __always_inline int alloc_ret(__u64 folio)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct folio_key k = {.a = folio};

	if (!folio || !bpf_map_lookup_elem(&in_ra, &tid))
		return 0;
	added(&k);
	return 0;
}

static __always_inline int accessed(__u64 folio)
{
	struct folio_key k = {.a = folio};

	used(&k);
	return 0;
}

SEC("fentry/page_cache_ra_unbounded")
int BPF_PROG(fentry_ra)
{
	return ra_enter();
}

SEC("fexit/page_cache_ra_unbounded")
int BPF_PROG(fexit_ra)
{
	return ra_exit();
}

SEC("fentry/page_cache_ra_order")
int BPF_PROG(fentry_ra_order)
{
	return ra_enter();
}

SEC("fexit/page_cache_ra_order")
int BPF_PROG(fexit_ra_order)
{
	return ra_exit();
}

SEC("fexit/filemap_alloc_folio")
int BPF_PROG(fexit_alloc, gfp_t gfp, unsigned int order, struct folio *ret)
{
	return alloc_ret((__u64)ret);
}

SEC("fentry/folio_mark_accessed")
int BPF_PROG(fentry_accessed, struct folio *folio)
{
	return accessed((__u64)folio);
}

SEC("kprobe")
int kprobe_ra(void *ctx)
{
	return ra_enter();
}

SEC("kretprobe")
int kretprobe_ra(void *ctx)
{
	return ra_exit();
}

SEC("kretprobe/filemap_alloc_folio")
int kretprobe_alloc(void *ctx)
{
	return alloc_ret(pb_reg_ret(ctx));
}

SEC("kprobe/folio_mark_accessed")
int kprobe_accessed(void *ctx)
{
	return accessed(pb_reg_arg(ctx, 0));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
