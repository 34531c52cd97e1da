//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* memleak: outstanding allocations, as libbpf-tools' memleak: every
 * allocation is kept in the allocs map under its address with its size,
 * time and stack until it is freed; user space prints what is left,
 * combined by stack. A process (-p) through uprobes on its libc's
 * allocator functions (an entry probe keeps the size by thread, the return
 * probe records the address), the kernel through the kmem tracepoints.
 * A process's stacks come from bpf_get_stackid's frame-pointer walk
 * (--unwind=fp) or from the .eh_frame walker (unwind.bpf.h). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "stacks.bpf.h"
#include "unwind.bpf.h"
#include "regs.bpf.h"
#include "memleak.h"

const volatile __u64 min_size = 0;          /* -z */
const volatile __u64 max_size = ~0ULL;      /* -Z */
const volatile __u64 sample_rate = 1;       /* -s: one allocation in N */
const volatile __u32 targ_pid = 0;          /* -p: the process uprobes see */
const volatile __u64 stack_flags = 0;       /* BPF_F_USER_STACK with -p */
const volatile __u64 page_size = 4096;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__type(key, __u64);
	__type(value, struct memleak_alloc);
} allocs SEC(".maps");

/* The size a thread asked for, from an allocator's entry to its return. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} pending SEC(".maps");

/* posix_memalign's result pointer, by thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} memptrs SEC(".maps");

static __always_inline bool wanted(__u64 size)
{
	if (size < min_size || size > max_size)
		return false;
	/* Sampling: one in sample_rate, by time as libbpf-tools does. */
	return sample_rate <= 1 || bpf_ktime_get_ns() % sample_rate == 0;
}

static __always_inline void record(void *ctx, __u64 addr, __u64 size)
{
	struct memleak_alloc a = {.size = size};

	if (!addr)
		return;
	a.ts_ns = bpf_ktime_get_ns();
	if (unwind_user && stack_flags)
		a.stack_id = unwind_user_stack(bpf_get_current_pid_tgid() >> 32);
	else
		a.stack_id = stack_id(ctx, stack_flags);
	update_counted(&allocs, &addr, &a, BPF_ANY, MEMLEAK_FULL_ALLOCS);
}

static __always_inline void forget(__u64 addr)
{
	bpf_map_delete_elem(&allocs, &addr);
}

/* User space: entry keeps the size, return records the address. */
static __always_inline int alloc_enter(__u64 size)
{
	__u32 tid = bpf_get_current_pid_tgid();

	if (wanted(size))
		update_counted(&pending, &tid, &size, BPF_ANY, MEMLEAK_FULL_PENDING);
	return 0;
}

static __always_inline int alloc_exit(void *ctx, __u64 addr)
{
	__u32 tid = bpf_get_current_pid_tgid();
	__u64 *size = bpf_map_lookup_elem(&pending, &tid);

	if (!size)
		return 0;
	record(ctx, addr, *size);
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

SEC("uprobe")
int malloc_enter(void *ctx) { return alloc_enter(pb_reg_arg(ctx, 0)); }

SEC("uretprobe")
int malloc_exit(void *ctx) { return alloc_exit(ctx, pb_reg_ret(ctx)); }

SEC("uprobe")
int calloc_enter(void *ctx) { return alloc_enter(pb_reg_arg(ctx, 0) * pb_reg_arg(ctx, 1)); }

SEC("uprobe")
int realloc_enter(void *ctx)
{
	forget(pb_reg_arg(ctx, 0));
	return alloc_enter(pb_reg_arg(ctx, 1));
}

/* mmap(addr, length, ...), aligned_alloc(alignment, size),
 * memalign(alignment, size): the size is the second argument. */
SEC("uprobe")
int size2_enter(void *ctx) { return alloc_enter(pb_reg_arg(ctx, 1)); }

SEC("uprobe")
int pvalloc_enter(void *ctx)
{
	__u64 size = pb_reg_arg(ctx, 0);

	return alloc_enter((size + page_size - 1) & ~(page_size - 1));
}

SEC("uprobe")
int posix_memalign_enter(void *ctx)
{
	__u32 tid = bpf_get_current_pid_tgid();
	__u64 memptr = pb_reg_arg(ctx, 0);

	update_counted(&memptrs, &tid, &memptr, BPF_ANY, MEMLEAK_FULL_PENDING);
	return alloc_enter(pb_reg_arg(ctx, 2));
}

SEC("uretprobe")
int posix_memalign_exit(void *ctx)
{
	__u32 tid = bpf_get_current_pid_tgid();
	__u64 *memptr = bpf_map_lookup_elem(&memptrs, &tid);
	__u64 addr = 0;

	if (!memptr)
		return 0;
	if (pb_reg_ret(ctx) == 0) /* 0: success */
		bpf_probe_read_user(&addr, sizeof(addr), (void *)*memptr);
	bpf_map_delete_elem(&memptrs, &tid);
	return alloc_exit(ctx, addr);
}

/* free(ptr), munmap(addr, ...). */
SEC("uprobe")
int free_enter(void *ctx)
{
	forget(pb_reg_arg(ctx, 0));
	return 0;
}

/* The kernel: the kmem tracepoints, each an allocation with its address
 * and size, or a free. Before 6.2 kmalloc and kmem_cache_alloc shared
 * struct trace_event_raw_kmem_alloc and had _node variants. */
struct trace_event_raw_kmem_alloc___old {
	const void *ptr;
	size_t bytes_alloc;
} __attribute__((preserve_access_index));

static __always_inline int kernel_alloc(void *ctx, const void *ptr, __u64 size)
{
	if (wanted(size))
		record(ctx, (__u64)ptr, size);
	return 0;
}

SEC("tracepoint/kmem/kmalloc")
int tp_kmalloc(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmalloc)) {
		struct trace_event_raw_kmalloc *c = ctx;

		return kernel_alloc(ctx, c->ptr, c->bytes_alloc);
	}
	struct trace_event_raw_kmem_alloc___old *o = ctx;

	return kernel_alloc(ctx, o->ptr, o->bytes_alloc);
}

SEC("tracepoint/kmem/kmem_cache_alloc")
int tp_kmem_cache_alloc(void *ctx)
{
	if (bpf_core_type_exists(struct trace_event_raw_kmem_cache_alloc)) {
		struct trace_event_raw_kmem_cache_alloc *c = ctx;

		return kernel_alloc(ctx, c->ptr, c->bytes_alloc);
	}
	struct trace_event_raw_kmem_alloc___old *o = ctx;

	return kernel_alloc(ctx, o->ptr, o->bytes_alloc);
}

/* kmalloc_node, kmem_cache_alloc_node: before 6.2 only. */
struct trace_event_raw_kmem_alloc_node___old {
	const void *ptr;
	size_t bytes_alloc;
} __attribute__((preserve_access_index));

SEC("tracepoint/kmem/kmalloc_node")
int tp_kmalloc_node(struct trace_event_raw_kmem_alloc_node___old *ctx)
{
	return kernel_alloc(ctx, ctx->ptr, ctx->bytes_alloc);
}

SEC("tracepoint/kmem/kmem_cache_alloc_node")
int tp_kmem_cache_alloc_node(struct trace_event_raw_kmem_alloc_node___old *ctx)
{
	return kernel_alloc(ctx, ctx->ptr, ctx->bytes_alloc);
}

SEC("tracepoint/kmem/kfree")
int tp_kfree(struct trace_event_raw_kfree *ctx)
{
	forget((__u64)ctx->ptr);
	return 0;
}

SEC("tracepoint/kmem/kmem_cache_free")
int tp_kmem_cache_free(struct trace_event_raw_kmem_cache_free *ctx)
{
	forget((__u64)ctx->ptr);
	return 0;
}

/* Pages: keyed by page frame number, page_size << order bytes. */
SEC("tracepoint/kmem/mm_page_alloc")
int tp_mm_page_alloc(struct trace_event_raw_mm_page_alloc *ctx)
{
	__u64 size = page_size << ctx->order;

	if (wanted(size))
		record(ctx, ctx->pfn, size);
	return 0;
}

SEC("tracepoint/kmem/mm_page_free")
int tp_mm_page_free(struct trace_event_raw_mm_page_free *ctx)
{
	forget(ctx->pfn);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
