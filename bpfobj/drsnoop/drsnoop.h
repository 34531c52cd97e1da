/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by drsnoop.bpf.c and applets/drsnoop. */
#ifndef DRSNOOP_H
#define DRSNOOP_H

struct reclaim_event {
	__u64 ts_ns;
	__u64 delta_ns;
	__u64 nr_reclaimed;
	__u64 nr_free_pages; /* with -e: at the start of the stall */
	__u32 pid;           /* tgid */
	__u32 tid;
	__u32 memcg;         /* 1: a memory cgroup's limit, 0: the machine's memory */
	__u32 pad;
	char comm[16];
};

#endif
