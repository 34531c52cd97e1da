/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcprtt.bpf.c and applets/tcprtt. */
#ifndef TCPRTT_H
#define TCPRTT_H

#define TCPRTT_MAX_SLOTS 27
#define TCPRTT_FULL_HISTS 0 /* map_full slot (mapfull.bpf.h) */

/* key_mode */
#define TCPRTT_KEY_ALL 0
#define TCPRTT_KEY_LADDR 1 /* -b */
#define TCPRTT_KEY_RADDR 2 /* -B */

struct tcprtt_key {
	__u8 addr[16]; /* network order; IPv4 in the first 4 bytes; zero for ALL */
	__u16 family;
	__u16 pad[3];
};

struct tcprtt_hist {
	__u64 latency; /* sum of the RTTs counted, in the unit (-e) */
	__u64 cnt;     /* RTTs counted (-e) */
	__u32 slots[TCPRTT_MAX_SLOTS];
	__u32 pad;
};

#endif
