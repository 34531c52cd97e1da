/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by syscount.bpf.c and applets/syscount. */
#ifndef SYSCOUNT_H
#define SYSCOUNT_H

#define SYSCOUNT_MAX_KEYS 8192
#define SYSCOUNT_MAX_ERRNOS 256

/* Slots of map_full (mapfull.bpf.h). */
#define SYSCOUNT_FULL_DATA 0
#define SYSCOUNT_FULL_START 1
#define SYSCOUNT_FULL_ERRNOS 2

/* Value of the counts map, keyed by syscall number or (-P) by tgid. */
struct syscount_val {
	__u64 count;
	__u64 total_ns; /* with -L */
	char comm[16];  /* with -P: the process's name when first counted */
};

#endif
