/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by syncsnoop.bpf.c and applets/syncsnoop. */
#ifndef SYNCSNOOP_H
#define SYNCSNOOP_H

/* Which call (applets/syncsnoop names them in this order). */
#define SYNC_SYS_SYNC 1
#define SYNC_SYS_FSYNC 2
#define SYNC_SYS_FDATASYNC 3
#define SYNC_SYS_MSYNC 4
#define SYNC_SYS_SYNC_FILE_RANGE 5
#define SYNC_SYS_SYNCFS 6

struct sync_event {
	__u64 ts_ns; /* bpf_ktime_get_ns: monotonic, since boot */
	__u32 pid;
	__u32 tid;
	__u32 sys;
	char comm[16];
};

#endif
