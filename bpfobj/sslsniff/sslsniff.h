/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by sslsniff.bpf.c and applets/sslsniff. */
#ifndef SSLSNIFF_H
#define SSLSNIFF_H

#define SSL_MAX_BUF 8192

/* What the event is. */
#define SSL_EV_READ 0
#define SSL_EV_WRITE 1
#define SSL_EV_HANDSHAKE 2

/* map_full slot of the in-flight calls map. */
#define SSL_FULL_CALLS 0

struct ssl_event {
	__u64 ts_ns;      /* at the return */
	__u64 delta_ns;   /* entry to return */
	__s64 ret;        /* the function's return value */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 len;        /* bytes read or written (0 for a handshake or a failure) */
	__u32 buf_filled; /* bytes of them in buf */
	__u32 kind;       /* SSL_EV_* */
	char comm[16];
	char buf[SSL_MAX_BUF];
};

#endif
