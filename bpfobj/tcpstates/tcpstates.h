/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcpstates.bpf.c and applets/tcpstates. */
#ifndef TCPSTATES_H
#define TCPSTATES_H

/* map_full slot (mapfull.bpf.h) */
#define TCPSTATES_FULL_LAST 0

struct tcpstates_event {
	__u64 skaddr;
	__u64 ts_ns;    /* CLOCK_MONOTONIC time of the change */
	__u64 delta_ns; /* time in the old state; 0 when first seen */
	__u32 pid;      /* current task: often a softirq's borrowed task */
	__u16 af;
	__u16 lport; /* host order */
	__u16 rport; /* host order */
	__u8 oldstate;
	__u8 newstate;
	__u8 laddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 raddr[16];
	char comm[16];
};

#endif
