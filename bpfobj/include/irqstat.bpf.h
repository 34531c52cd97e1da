/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Accounting of one interrupt handler run into a per-CPU struct irq_stat
 * (irqstat.h): hardirqs and softirqs. */
#ifndef PROBEBOX_IRQSTAT_BPF_H
#define PROBEBOX_IRQSTAT_BPF_H

#include "bits.bpf.h"
#include "pow2hist.bpf.h"
#include "irqstat.h"

const volatile bool irq_count_only = false; /* hardirqs -C: no timing */
const volatile bool irq_dist = false;       /* -d: fill the histogram */
const volatile bool irq_nsecs = false;      /* -N */

/* irqstat_add accounts a run of delta_ns into s, a per-CPU value: no
 * other CPU writes it, so plain adds suffice. */
static __always_inline void irqstat_add(struct irq_stat *s, __u64 delta_ns)
{
	__u64 v = irq_nsecs ? delta_ns : delta_ns / 1000, slot;

	if (pow2_seconds) {
		/* The exporter: time in ns, slots in powers of two of seconds
		 * (pow2hist.bpf.h), always filled. */
		s->count++;
		s->time += delta_ns;
		slot = log2_u64(pow2s_units(delta_ns));
		if (slot >= IRQSTAT_MAX_SLOTS)
			slot = IRQSTAT_MAX_SLOTS - 1;
		s->slots[slot]++;
		return;
	}
	s->count++;
	s->time += v;
	if (irq_dist) {
		slot = log2_u64(v);
		if (slot >= IRQSTAT_MAX_SLOTS)
			slot = IRQSTAT_MAX_SLOTS - 1;
		s->slots[slot]++;
	}
}

#endif
