//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* slabratetop: kmem_cache_alloc calls by cache, summed in the caches map
 * that user space copies out and clears at each interval. Hooks: the
 * kmem:kmem_cache_alloc tracepoint as tp_btf or raw tracepoint (the cache
 * itself: its name and object size), else as a tracefs tracepoint (the
 * name and bytes it records). -p applies here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "slabratetop.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct slabrate_key);
	__type(value, struct slabrate_val);
} caches SEC(".maps");

static const struct slabrate_val zero_val = {};

static __always_inline int count(struct slabrate_key *k, __u64 size)
{
	struct slabrate_val *v = bpf_map_lookup_elem(&caches, k);

	if (!v) {
		update_counted(&caches, k, &zero_val, BPF_NOEXIST, SLABRATETOP_FULL_CACHES);
		v = bpf_map_lookup_elem(&caches, k);
		if (!v)
			return 0;
	}
	__sync_fetch_and_add(&v->count, 1);
	__sync_fetch_and_add(&v->size, size);
	return 0;
}

static __always_inline bool wanted(void)
{
	return !targ_pid || (bpf_get_current_pid_tgid() >> 32) == targ_pid;
}

static __always_inline int on_cache(struct kmem_cache *s)
{
	struct slabrate_key k = {};

	if (!wanted() || !s)
		return 0;
	bpf_probe_read_kernel_str(k.name, sizeof(k.name), BPF_CORE_READ(s, name));
	return count(&k, BPF_CORE_READ(s, size));
}

SEC("tp_btf/kmem_cache_alloc")
int BPF_PROG(btf_cache_alloc, unsigned long call_site, const void *ptr, struct kmem_cache *s)
{
	return on_cache(s);
}

SEC("raw_tp/kmem_cache_alloc")
int BPF_PROG(raw_cache_alloc, unsigned long call_site, const void *ptr, struct kmem_cache *s)
{
	return on_cache(s);
}

SEC("tracepoint/kmem/kmem_cache_alloc")
int tp_cache_alloc(struct trace_event_raw_kmem_cache_alloc *ctx)
{
	struct slabrate_key k = {};
	__u32 loc;

	if (!wanted())
		return 0;
	/* Before 6.2 the tracepoint did not record the cache's name. */
	if (bpf_core_field_exists(ctx->__data_loc_name)) {
		loc = BPF_CORE_READ(ctx, __data_loc_name);
		bpf_probe_read_kernel_str(k.name, sizeof(k.name), (void *)ctx + (loc & 0xffff));
	} else {
		k.name[0] = '?';
	}
	return count(&k, BPF_CORE_READ(ctx, bytes_alloc));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
