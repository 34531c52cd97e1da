/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram layout shared by runqlen.bpf.c and applets/runqlen. */
#ifndef RUNQLEN_H
#define RUNQLEN_H

#define RUNQLEN_MAX_SLOTS 32

/* Value of the hists array, one per CPU: samples by run queue length
 * (tasks waiting, the running one not counted); the last slot holds
 * everything longer. The counts only grow: user space subtracts the
 * previous snapshot. */
struct runqlen_hist {
	__u64 slots[RUNQLEN_MAX_SLOTS];
};

#endif
