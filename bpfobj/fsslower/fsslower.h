/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by fsslower.bpf.c and applets/fsslower. */
#ifndef FSSLOWER_H
#define FSSLOWER_H

#define FSSLOWER_FULL_STARTS 0 /* slot of map_full */

struct fsslower_event {
	__u64 end_ns;   /* completion, bpf_ktime_get_ns */
	__u64 delta_ns; /* latency */
	__s64 offset;   /* bytes, for reads and writes */
	__s64 size;     /* bytes returned; fsync: the range's length */
	__u32 pid;
	__u32 op;       /* enum fs_op */
	char comm[16];
	char file[32];  /* the file's name in its directory */
};

#endif
