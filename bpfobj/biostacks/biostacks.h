/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by biostacks.bpf.c and applets/biostacks. */
#ifndef BIOSTACKS_H
#define BIOSTACKS_H

#define BIOSTACKS_MAX_SLOTS 27
#define BIOSTACKS_MAX_DEPTH 20

/* Slots of map_full (mapfull.bpf.h). */
#define BIOSTACKS_FULL_HISTS 0
#define BIOSTACKS_FULL_STARTS 1
#define BIOSTACKS_FULL_STACKS 2

/* A histogram: requests of one process, disk and kernel stack. */
struct biostacks_key {
	__u32 pid;
	__u32 dev;     /* kernel dev_t */
	__s32 stackid; /* in the stacks map; < 0: none */
	char comm[16];
};

struct biostacks_hist {
	__u32 slots[BIOSTACKS_MAX_SLOTS];
};

#endif
