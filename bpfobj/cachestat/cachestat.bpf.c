//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cachestat: page cache accesses, additions (misses) and dirtyings,
 * counted in a per-CPU array that user space sums and clears at each
 * interval and combines as bcc's cachestat does.
 *
 * Hook sets, one chosen:
 *  - tracepoints (6.10+): mm_filemap_get_pages and mm_filemap_fault for
 *    accesses, counted in pages (a read's range, once per read, cut at the
 *    file's size); mm_filemap_add_to_page_cache (pages by folio order);
 *    block_dirty_buffer; writeback_dirty_folio;
 *  - fentry or kprobe on the functions bcc and libbpf-tools count:
 *    folio_mark_accessed/mark_page_accessed, filemap_add_folio/
 *    add_to_page_cache_lru, mark_buffer_dirty, with writeback_dirty_folio
 *    (or _page) for dirtied pages.
 * -p applies here (not in the peers). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "cachestat.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CS_MAX);
	__type(key, __u32);
	__type(value, __s64);
} counts SEC(".maps");

static __always_inline int add(__u32 slot, __s64 n)
{
	__s64 *c;

	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	c = bpf_map_lookup_elem(&counts, &slot);
	if (c)
		*c += n; /* per-CPU */
	return 0;
}

/* The last read range seen on this CPU: filemap_get_pages reports the
 * whole remaining range of a read each time it returns a batch, so the
 * calls after the first of one read (same task, file and end, a later
 * start) add nothing. A task moved to another CPU in mid-read counts its
 * remaining range twice. */
struct read_range {
	__u64 tid;
	__u64 mapping;
	__u64 index;
	__u64 last;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct read_range);
} last_read SEC(".maps");

SEC("tp_btf/mm_filemap_get_pages")
int BPF_PROG(btf_get_pages, struct address_space *mapping, unsigned long index, unsigned long last)
{
	__u64 tid = bpf_get_current_pid_tgid();
	struct read_range *r;
	__u32 zero = 0;
	loff_t size;

	r = bpf_map_lookup_elem(&last_read, &zero);
	if (!r)
		return 0;
	if (r->tid == tid && r->mapping == (__u64)mapping && r->last == last && index > r->index) {
		r->index = index;
		return 0;
	}
	r->tid = tid;
	r->mapping = (__u64)mapping;
	r->index = index;
	r->last = last;
	size = BPF_CORE_READ(mapping, host, i_size);
	if (size <= 0)
		return 0;
	if (last > (size - 1) >> 12)
		last = (size - 1) >> 12;
	if (index > last)
		return 0;
	return add(CS_MPA, last - index + 1);
}

SEC("tp_btf/mm_filemap_fault")
int BPF_PROG(btf_fault)
{
	return add(CS_MPA, 1);
}

SEC("tracepoint/filemap/mm_filemap_add_to_page_cache")
int tp_add_to_page_cache(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	return add(CS_APCL, 1 << (BPF_CORE_READ(ctx, order) & 31));
}

SEC("tracepoint/block/block_dirty_buffer")
int tp_dirty_buffer(void *ctx)
{
	return add(CS_MBD, 1);
}

SEC("tracepoint/writeback/writeback_dirty_folio")
int tp_dirty_folio(void *ctx)
{
	return add(CS_APD, 1);
}

SEC("tracepoint/writeback/writeback_dirty_page")
int tp_dirty_page(void *ctx)
{
	return add(CS_APD, 1);
}

/* The function sets: the same program serves both names of a function. */
SEC("fentry/folio_mark_accessed")
int BPF_PROG(fentry_mpa_folio)
{
	return add(CS_MPA, 1);
}

SEC("fentry/mark_page_accessed")
int BPF_PROG(fentry_mpa_page)
{
	return add(CS_MPA, 1);
}

SEC("fentry/filemap_add_folio")
int BPF_PROG(fentry_apcl_folio)
{
	return add(CS_APCL, 1);
}

SEC("fentry/add_to_page_cache_lru")
int BPF_PROG(fentry_apcl_page)
{
	return add(CS_APCL, 1);
}

SEC("fentry/mark_buffer_dirty")
int BPF_PROG(fentry_mbd)
{
	return add(CS_MBD, 1);
}

SEC("kprobe")
int kprobe_mpa(void *ctx)
{
	return add(CS_MPA, 1);
}

SEC("kprobe")
int kprobe_apcl(void *ctx)
{
	return add(CS_APCL, 1);
}

SEC("kprobe")
int kprobe_mbd(void *ctx)
{
	return add(CS_MBD, 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
