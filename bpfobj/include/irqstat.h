/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Per-CPU interrupt statistics shared by hardirqs and softirqs (BPF side
 * in irqstat.bpf.h, Go side in core/irqstat). The counters only grow:
 * user space subtracts the previous snapshot, so nothing is lost between
 * reading and clearing. */
#ifndef PROBEBOX_IRQSTAT_H
#define PROBEBOX_IRQSTAT_H

#define IRQSTAT_MAX_SLOTS 32
#define IRQSTAT_NAME_LEN 32

struct irq_stat {
	__u64 count;                    /* handler runs */
	__u64 time;                     /* total time, nsecs or usecs */
	__u64 slots[IRQSTAT_MAX_SLOTS]; /* log2 histogram of the same unit */
};

#endif
