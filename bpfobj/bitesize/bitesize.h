/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram layout shared by bitesize.bpf.c and applets/bitesize. */
#ifndef BITESIZE_H
#define BITESIZE_H

#define BITESIZE_MAX_SLOTS 20
#define BITESIZE_COMM_LEN 16

/* Slots of map_full (mapfull.bpf.h). */
#define BITESIZE_FULL_HISTS 0
#define BITESIZE_FULL_WHOS 1

struct bitesize_key {
	char comm[BITESIZE_COMM_LEN]; /* the task the request is for */
};

struct bitesize_hist {
	__u32 slots[BITESIZE_MAX_SLOTS]; /* log2 buckets of request size in KiB */
};

#endif
