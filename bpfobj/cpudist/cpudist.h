/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram layout shared by cpudist.bpf.c and applets/cpudist. */
#ifndef CPUDIST_H
#define CPUDIST_H

#define CPUDIST_MAX_SLOTS 36
#define CPUDIST_COMM_LEN 16
/* Key of the one histogram when no -P/-L split is asked for. */
#define CPUDIST_ALL_KEY 0xffffffffU

/* Slots of map_full (mapfull.bpf.h). */
#define CPUDIST_FULL_HISTS 0
#define CPUDIST_FULL_START 1

/* Value of the hists map, keyed by tgid, tid or CPUDIST_ALL_KEY. */
struct cpudist_hist {
	__u32 slots[CPUDIST_MAX_SLOTS]; /* log2 buckets of usecs or msecs */
	char comm[CPUDIST_COMM_LEN];    /* first task seen under this key */
};

#endif
