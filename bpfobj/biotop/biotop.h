/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by biotop.bpf.c and applets/biotop. */
#ifndef BIOTOP_H
#define BIOTOP_H

#define BIOTOP_COMM_LEN 16

/* Slots of map_full (mapfull.bpf.h). */
#define BIOTOP_FULL_COUNTS 0
#define BIOTOP_FULL_STARTS 1
#define BIOTOP_FULL_WHOS 2

/* One row: a process's reads or writes on one disk. */
struct biotop_key {
	__u32 pid;
	__u32 dev;    /* kernel dev_t */
	__u32 rwflag; /* 1: write */
	char comm[BIOTOP_COMM_LEN];
};

struct biotop_val {
	__u64 bytes;
	__u64 us; /* summed I/O time, issue to completion */
	__u32 io;
	__u32 pad;
};

#endif
