/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by memleak.bpf.c and applets/memleak. */
#ifndef MEMLEAK_H
#define MEMLEAK_H

/* Slots of map_full (mapfull.bpf.h); stacks.bpf.h uses slot 1. */
#define MEMLEAK_FULL_ALLOCS 0
#define MEMLEAK_FULL_PENDING 2

/* One outstanding allocation, by address (allocs map). */
struct memleak_alloc {
	__u64 size;
	__u64 ts_ns; /* CLOCK_MONOTONIC when allocated */
	__s32 stack_id;
	__u32 pad;
};

#endif
