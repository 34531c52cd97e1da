//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* llcstat: last-level cache references and misses by CPU and process (or
 * thread), from hardware perf events that run a program every
 * sample_period events; each sample counts sample_period. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "mapfull.bpf.h"
#include "llcstat.h"

const volatile __u64 sample_period = 100;
const volatile bool per_thread = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct llcstat_key);
	__type(value, struct llcstat_value);
} stats SEC(".maps");

static const struct llcstat_value empty_value = {};

static __always_inline int count(bool miss)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct llcstat_key key = {
		.cpu = bpf_get_smp_processor_id(),
		.pid = id >> 32,
		.tid = per_thread ? (__u32)id : 0,
	};
	struct llcstat_value *v = bpf_map_lookup_elem(&stats, &key);

	if (!v) {
		update_counted(&stats, &key, &empty_value, BPF_NOEXIST, LLCSTAT_FULL_STATS);
		v = bpf_map_lookup_elem(&stats, &key);
		if (!v)
			return 0;
		bpf_get_current_comm(&v->comm, sizeof(v->comm));
	}
	if (miss)
		__sync_fetch_and_add(&v->miss, sample_period);
	else
		__sync_fetch_and_add(&v->ref, sample_period);
	return 0;
}

SEC("perf_event")
int on_cache_miss(void *ctx)
{
	return count(true);
}

SEC("perf_event")
int on_cache_ref(void *ctx)
{
	return count(false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
