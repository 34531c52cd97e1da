/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by runqslower.bpf.c and applets/runqslower. */
#ifndef RUNQSLOWER_H
#define RUNQSLOWER_H

#define RUNQSLOWER_COMM_LEN 16

/* Slot of map_full (mapfull.bpf.h): wakeups not tracked because the start
 * map was full. */
#define RUNQSLOWER_FULL_START 0

/* One wait longer than the threshold: next waited delta_us for the CPU
 * prev gave up. */
struct runqslower_event {
	__u64 delta_us;
	__u32 pid;      /* thread switched in */
	__u32 tgid;
	__u32 prev_pid; /* thread switched out */
	__u32 cpu;
	char task[RUNQSLOWER_COMM_LEN];
	char prev_task[RUNQSLOWER_COMM_LEN];
};

#endif
