/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layouts shared by funclatency.bpf.c and applets/funclatency. */
#ifndef FUNCLATENCY_H
#define FUNCLATENCY_H

#define FUNCLAT_MAX_SLOTS 64
#define FUNCLAT_MAX_LEVEL 8

/* Slot of map_full: calls not timed because the map of threads inside the
 * function was full. */
#define FUNCLAT_FULL_START 0

/* Value of the hists array: one per function with -F, else one. */
struct funclat_hist {
	__u64 slots[FUNCLAT_MAX_SLOTS]; /* log2 buckets of the unit */
	__u64 count;
	__u64 total; /* in the unit */
};

/* Per thread: entry times of the calls it is inside, nested up to
 * -l levels. */
struct funclat_stack {
	__u64 ts[FUNCLAT_MAX_LEVEL];
	__u32 depth;
	__u32 pad;
};

#endif
