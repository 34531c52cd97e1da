/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by ttysnoop.bpf.c and applets/ttysnoop. */
#ifndef TTYSNOOP_H
#define TTYSNOOP_H

#define TTY_CHUNK 256       /* bytes per event (bcc's BUFSIZE) */
#define TTY_MAX_CHUNKS 64   /* events per write at most (-c) */
#define TTY_MAX_IOV 8       /* writev: iovecs looked at */

struct tty_event {
	__u64 ts_ns;
	__u32 pid;
	__u32 len;        /* bytes in data */
	__u64 cgroup_id;
	char comm[16];
	char data[TTY_CHUNK];
};

#endif
