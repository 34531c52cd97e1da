/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by swapin.bpf.c and applets/swapin. */
#ifndef SWAPIN_H
#define SWAPIN_H

/* Slot of map_full (mapfull.bpf.h). */
#define SWAPIN_FULL_COUNTS 0

struct swapin_key {
	__u32 pid;
	char comm[16];
};

#endif
