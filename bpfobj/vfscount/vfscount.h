/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by vfscount.bpf.c and applets/vfscount. */
#ifndef VFSCOUNT_H
#define VFSCOUNT_H

/* Slot of map_full (mapfull.bpf.h). */
#define VFSCOUNT_FULL_COUNTS 0

struct vfscount_key {
	__u64 ip;  /* function address (kprobe), else 0 */
	__u32 idx; /* syscall stand-in: the function's index from 1, else 0 */
	__u32 pad;
};

#endif
