/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by fileslower.bpf.c and applets/fileslower. */
#ifndef FILESLOWER_H
#define FILESLOWER_H

#define FILESLOWER_FULL_STARTS 0 /* slot of map_full */

struct fileslower_event {
	__u64 ts_ns;    /* completion, bpf_ktime_get_ns */
	__u64 delta_ns; /* latency */
	__u64 size;     /* bytes asked for */
	__u32 pid;
	__u32 tid;
	__u32 write;    /* 1: write, 0: read */
	char comm[16];
	char file[32];  /* the file's name in its directory */
	__u32 pad;
};

#endif
