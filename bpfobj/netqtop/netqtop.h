/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by netqtop.bpf.c and applets/netqtop. */
#ifndef NETQTOP_H
#define NETQTOP_H

#define NETQTOP_MAX_QUEUES 1024
#define NETQTOP_SIZES 5 /* [0,64) [64,512) [512,2K) [2K,16K) [16K,...) */

/* One queue's packets since the tool started (cumulative, per CPU). */
struct netqtop_queue {
	__u64 bytes;
	__u64 packets;
	__u64 sizes[NETQTOP_SIZES];
};

#endif
