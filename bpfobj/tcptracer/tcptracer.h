/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcptracer.bpf.c and applets/tcptracer. */
#ifndef TCPTRACER_H
#define TCPTRACER_H

#define TCPTRACER_CONNECT 1 /* C */
#define TCPTRACER_ACCEPT 2  /* A */
#define TCPTRACER_CLOSE 3   /* X */

#define TCPTRACER_FULL_CONNECTING 0 /* map_full slot (mapfull.bpf.h) */

struct tcptracer_event {
	__u64 ts_ns;
	__u32 pid;
	__u32 uid;
	__u32 netns; /* network namespace inode */
	__u16 af;
	__u16 sport; /* host order */
	__u16 dport; /* host order */
	__u8 type;
	__u8 pad;
	__u8 saddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 daddr[16];
	char comm[16];
};

/* who connected, by socket, until the connection is established */
struct tcptracer_who {
	__u32 pid;
	__u32 uid;
	char comm[16];
};

#endif
