//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* hardirqs: time (or, with -C, runs) of each hard interrupt handler, by
 * handler name, per CPU, summed by user space. irq_handler_entry notes the
 * name and start time per CPU (hard interrupt handlers do not nest);
 * irq_handler_exit accounts the run. Hooks: tp_btf, else raw tracepoints,
 * else tracefs tracepoints (whose exit event has no name: the entry's is
 * used on every hook). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "irqstat.bpf.h"
#include "hardirqs.h"

/* The handler running on this CPU. */
struct running {
	__u64 ts;
	struct hardirq_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct running);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct hardirq_key);
	__type(value, struct irq_stat);
} stats SEC(".maps");

static const struct irq_stat empty_stat = {};

static __always_inline struct irq_stat *stat_of(struct hardirq_key *key)
{
	struct irq_stat *s = bpf_map_lookup_elem(&stats, key);

	if (s)
		return s;
	update_counted(&stats, key, &empty_stat, BPF_NOEXIST, HARDIRQS_FULL_STATS);
	return bpf_map_lookup_elem(&stats, key);
}

/* on_entry: name points at the handler's name in kernel memory. */
static __always_inline int on_entry(const char *name)
{
	struct running *r;
	struct irq_stat *s;
	__u32 zero = 0;

	r = bpf_map_lookup_elem(&start, &zero);
	if (!r)
		return 0;
	r->ts = 0;
	if (!cgroup_allowed())
		return 0;
	bpf_probe_read_kernel_str(r->key.name, sizeof(r->key.name), name);
	if (irq_count_only) {
		s = stat_of(&r->key);
		if (s)
			s->count++;
		return 0;
	}
	r->ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_exit(void)
{
	struct running *r;
	struct irq_stat *s;
	__u32 zero = 0;
	__u64 now;

	if (irq_count_only)
		return 0;
	r = bpf_map_lookup_elem(&start, &zero);
	if (!r || !r->ts)
		return 0;
	now = bpf_ktime_get_ns();
	s = stat_of(&r->key);
	if (s && now > r->ts)
		irqstat_add(s, now - r->ts);
	r->ts = 0;
	return 0;
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(btf_irq_handler_entry, int irq, struct irqaction *action)
{
	return on_entry(action->name);
}

SEC("tp_btf/irq_handler_exit")
int BPF_PROG(btf_irq_handler_exit, int irq, struct irqaction *action)
{
	return on_exit();
}

SEC("raw_tp/irq_handler_entry")
int BPF_PROG(raw_irq_handler_entry, int irq, struct irqaction *action)
{
	return on_entry(BPF_CORE_READ(action, name));
}

SEC("raw_tp/irq_handler_exit")
int BPF_PROG(raw_irq_handler_exit, int irq, struct irqaction *action)
{
	return on_exit();
}

/* tracefs format of irq:irq_handler_entry: the name is a __data_loc
 * string (offset in the low 16 bits, from the start of the record). */
struct irq_handler_entry_args {
	__u64 common;
	int irq;
	__u32 name_loc;
};

SEC("tracepoint/irq/irq_handler_entry")
int tp_irq_handler_entry(struct irq_handler_entry_args *ctx)
{
	return on_entry((const char *)ctx + (ctx->name_loc & 0xffff));
}

SEC("tracepoint/irq/irq_handler_exit")
int tp_irq_handler_exit(void *ctx)
{
	return on_exit();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
