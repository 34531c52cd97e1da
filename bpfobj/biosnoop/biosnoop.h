/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by biosnoop.bpf.c and applets/biosnoop. */
#ifndef BIOSNOOP_H
#define BIOSNOOP_H

/* Slot of map_full (mapfull.bpf.h): requests not reported because the
 * map of requests in flight was full. */
#define BIOSNOOP_FULL_REQUESTS 0

struct biosnoop_event {
	__u64 ts_ns;     /* completion time, CLOCK_MONOTONIC */
	__u64 delta_ns;  /* issue to completion */
	__s64 qdelta_ns; /* insert to issue (-Q); -1 when the insert was missed */
	__u64 sector;
	__u32 len;       /* bytes */
	__u32 pid;       /* tgid of the task that queued the request; 0 unknown */
	__u32 cmd_flags; /* the kernel's REQ_OP_* | REQ_* bits */
	__u32 dev;       /* kernel dev_t of the disk: major << 20 | minor */
	char comm[16];
};

#endif
