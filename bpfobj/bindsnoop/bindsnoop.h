/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by bindsnoop.bpf.c and applets/bindsnoop. */
#ifndef BINDSNOOP_H
#define BINDSNOOP_H

#define BINDSNOOP_FULL_PENDING 0 /* map_full slot (mapfull.bpf.h) */

/* opts bits, libbpf-tools' order (F T N R r) */
#define BINDSNOOP_FREEBIND 1
#define BINDSNOOP_TRANSPARENT 2
#define BINDSNOOP_NO_PORT 4
#define BINDSNOOP_REUSEADDR 8
#define BINDSNOOP_REUSEPORT 16

struct bindsnoop_event {
	__u64 ts_ns;
	__u32 pid;
	__s32 ret;
	__u32 bound_dev_if;
	__u16 af;
	__u16 proto; /* IPPROTO_TCP, IPPROTO_UDP, ... */
	__u16 port;  /* host order: bound (success) or asked for (failure) */
	__u8 opts;
	__u8 pad;
	__u8 addr[16]; /* network order; IPv4 in the first 4 bytes */
	char comm[16];
};

/* A bind in progress, per thread. */
struct bindsnoop_args {
	__u64 sock;  /* struct socket * (function hooks) */
	__u64 uaddr; /* struct sockaddr *: kernel copy (functions), user's (syscall) */
	__s32 fd;    /* (syscall hooks) */
	__u32 pad;
};

#endif
