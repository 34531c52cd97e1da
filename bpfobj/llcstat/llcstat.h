/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by llcstat.bpf.c and applets/llcstat. */
#ifndef LLCSTAT_H
#define LLCSTAT_H

#define LLCSTAT_COMM_LEN 16

/* Slot of map_full: samples of threads the stats map had no room for. */
#define LLCSTAT_FULL_STATS 0

struct llcstat_key {
	__u32 cpu;
	__u32 pid;
	__u32 tid; /* 0 unless -t */
};

struct llcstat_value {
	__u64 ref;  /* cache references, in events (samples x period) */
	__u64 miss; /* cache misses */
	char comm[LLCSTAT_COMM_LEN];
};

#endif
