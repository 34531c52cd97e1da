/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by dcsnoop.bpf.c and applets/dcsnoop. */
#ifndef DCSNOOP_H
#define DCSNOOP_H

#define DCSNOOP_NAME_LEN 64

/* struct dcsnoop_event.type */
#define DCSNOOP_MISS 0      /* d_lookup found nothing ("M") */
#define DCSNOOP_REFERENCE 1 /* lookup_fast, with -a ("R") */

/* Slot of map_full (mapfull.bpf.h). */
#define DCSNOOP_FULL_NAMES 0

struct dcsnoop_event {
	__u64 ts_ns; /* CLOCK_MONOTONIC */
	__u32 pid;
	__u32 tid;
	__u32 type;
	char comm[16];
	char name[DCSNOOP_NAME_LEN]; /* the component and what follows it */
};

#endif
