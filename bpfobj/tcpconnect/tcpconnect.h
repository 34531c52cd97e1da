/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcpconnect.bpf.c and applets/tcpconnect. */
#ifndef TCPCONNECT_H
#define TCPCONNECT_H

struct tcpconnect_event {
	__u64 ts_ns;
	__u32 pid; /* tgid */
	__u32 tid;
	__u32 uid;
	__u16 af;
	__u16 lport; /* host order; 0 when not asked for on the tracepoint path */
	__u16 dport; /* host order */
	__u16 pad;
	__u8 saddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 daddr[16];
	char comm[16];
};

/* -c: connects are counted per key in the counts map. */
struct tcpconnect_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 af;
	__u16 lport; /* 0 unless -s */
	__u16 dport;
	__u16 pad;
};

#endif
