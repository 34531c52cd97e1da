/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Counter layout shared by readahead.bpf.c and applets/readahead. */
#ifndef READAHEAD_H
#define READAHEAD_H

#define READAHEAD_MAX_SLOTS 20
#define READAHEAD_FULL_FOLIOS 0 /* slot of map_full */

struct readahead_stats {
	__u64 total; /* folios brought in by readahead */
	__u64 used;  /* of those, accessed since */
	__u32 slots[READAHEAD_MAX_SLOTS]; /* log2 ms from readahead to use */
};

#endif
