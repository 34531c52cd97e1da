/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram layout shared by runqlat.bpf.c and applets/runqlat. */
#ifndef RUNQLAT_H
#define RUNQLAT_H

#define RUNQLAT_MAX_SLOTS 26
#define RUNQLAT_COMM_LEN 16
/* Key of the one histogram when no -P/-L/--pidnss split is asked for. */
#define RUNQLAT_ALL_KEY 0xffffffffU

/* Slots of map_full (mapfull.bpf.h): waits not counted because a map was
 * full. */
#define RUNQLAT_FULL_HISTS 0
#define RUNQLAT_FULL_START 1

/* Value of the hists map, keyed by tgid, tid, PID namespace inode or
 * RUNQLAT_ALL_KEY. */
struct runqlat_hist {
	__u32 slots[RUNQLAT_MAX_SLOTS]; /* log2 buckets of usecs or msecs */
	char comm[RUNQLAT_COMM_LEN];    /* first task seen under this key */
};

#endif
