/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram layout shared by fsdist.bpf.c and applets/fsdist. */
#ifndef FSDIST_H
#define FSDIST_H

#define FSDIST_MAX_SLOTS 32
#define FSDIST_FULL_STARTS 0 /* slot of map_full */

struct fsdist_hist {
	__u32 slots[FSDIST_MAX_SLOTS];
};

#endif
