/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram layout shared by biolatency.bpf.c and applets/biolatency. */
#ifndef BIOLATENCY_H
#define BIOLATENCY_H

#define BIOLATENCY_MAX_SLOTS 27

/* Slots of map_full (mapfull.bpf.h): requests not counted because a map
 * was full. */
#define BIOLATENCY_FULL_HISTS 0
#define BIOLATENCY_FULL_STARTS 1

/* Key of the hists map: fields not asked for (-D, -F) stay 0. */
struct biolatency_key {
	__u32 dev;       /* kernel dev_t of the disk (-D) */
	__u32 cmd_flags; /* the kernel's REQ_OP_* | REQ_* bits (-F) */
};

struct biolatency_hist {
	__u32 slots[BIOLATENCY_MAX_SLOTS]; /* log2 buckets of usecs or msecs */
};

/* Value of the extras map, filled only in pow2_seconds mode (the
 * exporter): what a Prometheus histogram needs beyond the latency slots. */
struct biolatency_extra {
	__u64 sum_ns;    /* total latency of the requests counted */
	__u64 sum_bytes; /* their total size */
	__u32 byte_slots[BIOLATENCY_MAX_SLOTS]; /* log2_ceil buckets of bytes */
};

#endif
