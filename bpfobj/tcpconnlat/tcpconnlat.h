/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcpconnlat.bpf.c and applets/tcpconnlat. */
#ifndef TCPCONNLAT_H
#define TCPCONNLAT_H

/* map_full slot (mapfull.bpf.h) */
#define TCPCONNLAT_FULL_START 0

struct tcpconnlat_event {
	__u64 ts_ns;    /* CLOCK_MONOTONIC time the connection was established */
	__u64 delta_ns; /* from connect to the SYN-ACK's processing */
	__u32 pid;      /* tgid of the connecting task */
	__u16 af;
	__u16 lport; /* host order */
	__u16 dport; /* host order */
	__u16 pad;
	__u8 saddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 daddr[16];
	char comm[16];
};

struct tcpconnlat_start {
	__u64 ts_ns;
	__u32 pid;
	char comm[16];
};

#endif
