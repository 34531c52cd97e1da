//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cpufreq: CPU frequency by time, system-wide and per process. The
 * power:cpu_frequency tracepoint keeps each CPU's current frequency in
 * freqs (user space seeds it from sysfs); a cpu-clock perf event samples
 * it with the task running, into a system-wide histogram (slot 0 of
 * syswide) and one per process name. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "mapfull.bpf.h"
#include "cpufreq.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set to the number of possible CPUs */
	__type(key, __u32);
	__type(value, __u32); /* MHz */
} freqs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpufreq_hist);
} syswide SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct cpufreq_key);
	__type(value, struct cpufreq_hist);
} hists SEC(".maps");

static const struct cpufreq_hist empty_hist = {};

static __always_inline int set_freq(__u32 khz, __u32 cpu)
{
	__u32 mhz = khz / 1000, *f = bpf_map_lookup_elem(&freqs, &cpu);

	if (f)
		*f = mhz;
	return 0;
}

SEC("tp_btf/cpu_frequency")
int BPF_PROG(btf_cpu_frequency, unsigned int state, unsigned int cpu_id)
{
	return set_freq(state, cpu_id);
}

SEC("raw_tp/cpu_frequency")
int BPF_PROG(raw_cpu_frequency, unsigned int state, unsigned int cpu_id)
{
	return set_freq(state, cpu_id);
}

struct cpu_frequency_args {
	__u64 common;
	__u32 state;
	__u32 cpu_id;
};

SEC("tracepoint/power/cpu_frequency")
int tp_cpu_frequency(struct cpu_frequency_args *ctx)
{
	return set_freq(ctx->state, ctx->cpu_id);
}

SEC("perf_event")
int sample_freq(void *ctx)
{
	struct cpufreq_key key = {};
	struct cpufreq_hist *h;
	__u32 cpu = bpf_get_smp_processor_id(), zero = 0, *f;
	__u64 slot;

	f = bpf_map_lookup_elem(&freqs, &cpu);
	if (!f || !*f)
		return 0;
	slot = *f / CPUFREQ_STEP_MHZ;
	if (slot >= CPUFREQ_MAX_SLOTS)
		slot = CPUFREQ_MAX_SLOTS - 1;
	h = bpf_map_lookup_elem(&syswide, &zero);
	if (h)
		__sync_fetch_and_add(&h->slots[slot], 1);
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		update_counted(&hists, &key, &empty_hist, BPF_NOEXIST, CPUFREQ_FULL_HISTS);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			return 0;
	}
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
