//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* softirqs: time (and runs) of each soft interrupt vector, per CPU,
 * summed by user space. softirq_entry stores the start time per CPU
 * (softirqs do not nest on a CPU); softirq_exit accounts the run. Hooks:
 * tp_btf, else raw tracepoints, else tracefs tracepoints. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "irqstat.bpf.h"
#include "softirqs.h"

const volatile __s32 filter_cpu = -1; /* -c: -1 means any */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOFTIRQS_MAX_VEC);
	__type(key, __u32);
	__type(value, struct irq_stat);
} stats SEC(".maps");

static __always_inline bool cpu_allowed(void)
{
	return filter_cpu < 0 || bpf_get_smp_processor_id() == (__u32)filter_cpu;
}

static __always_inline int on_entry(unsigned int vec)
{
	__u32 zero = 0;
	__u64 *ts;

	if (!cpu_allowed())
		return 0;
	ts = bpf_map_lookup_elem(&start, &zero);
	if (ts)
		*ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_exit(unsigned int vec)
{
	struct irq_stat *s;
	__u32 zero = 0, key = vec;
	__u64 *ts, now;

	if (!cpu_allowed())
		return 0;
	ts = bpf_map_lookup_elem(&start, &zero);
	if (!ts || !*ts)
		return 0; /* attached while this one ran */
	now = bpf_ktime_get_ns();
	s = bpf_map_lookup_elem(&stats, &key);
	if (s && now > *ts)
		irqstat_add(s, now - *ts);
	*ts = 0;
	return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(btf_softirq_entry, unsigned int vec_nr)
{
	return on_entry(vec_nr);
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(btf_softirq_exit, unsigned int vec_nr)
{
	return on_exit(vec_nr);
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(raw_softirq_entry, unsigned int vec_nr)
{
	return on_entry(vec_nr);
}

SEC("raw_tp/softirq_exit")
int BPF_PROG(raw_softirq_exit, unsigned int vec_nr)
{
	return on_exit(vec_nr);
}

/* tracefs format of irq:softirq_entry and irq:softirq_exit. */
struct softirq_args {
	__u64 common;
	unsigned int vec;
};

SEC("tracepoint/irq/softirq_entry")
int tp_softirq_entry(struct softirq_args *ctx)
{
	return on_entry(ctx->vec);
}

SEC("tracepoint/irq/softirq_exit")
int tp_softirq_exit(struct softirq_args *ctx)
{
	return on_exit(ctx->vec);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
