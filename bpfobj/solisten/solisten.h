/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by solisten.bpf.c and applets/solisten. */
#ifndef SOLISTEN_H
#define SOLISTEN_H

#define SOLISTEN_FULL_PENDING 0 /* map_full slot (mapfull.bpf.h) */

struct solisten_event {
	__u64 ts_ns;
	__u32 pid;
	__s32 ret;
	__u32 backlog;
	__u16 af;
	__u16 type; /* SOCK_STREAM, ... */
	__u16 port; /* host order */
	__u16 pad;
	__u8 addr[16]; /* network order; IPv4 in the first 4 bytes */
	char comm[16];
};

/* A listen in progress, per thread. */
struct solisten_args {
	__u64 sock; /* struct socket * (function hooks) */
	__s32 fd;   /* (syscall hooks) */
	__u32 backlog;
};

#endif
