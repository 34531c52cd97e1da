/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcptop.bpf.c and applets/tcptop. */
#ifndef TCPTOP_H
#define TCPTOP_H

#define TCPTOP_FULL_FLOWS 0 /* map_full slot (mapfull.bpf.h) */

struct tcptop_key {
	__u8 saddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 daddr[16];
	__u32 pid;
	__u16 lport; /* host order */
	__u16 dport;
	__u16 family;
	__u16 pad;
	char comm[16];
};

struct tcptop_traffic {
	__u64 sent;
	__u64 received;
};

#endif
