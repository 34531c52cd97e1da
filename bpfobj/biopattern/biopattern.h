/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by biopattern.bpf.c and applets/biopattern. */
#ifndef BIOPATTERN_H
#define BIOPATTERN_H

/* Slot of map_full (mapfull.bpf.h). */
#define BIOPATTERN_FULL_COUNTERS 0

/* Per disk (key: kernel dev_t). */
struct biopattern_counter {
	__u64 last_sector; /* where the disk's last completed request ended */
	__u64 bytes;
	__u32 sequential;  /* requests starting where the last one ended */
	__u32 random;
};

#endif
