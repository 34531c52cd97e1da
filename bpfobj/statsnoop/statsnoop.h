/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by statsnoop.bpf.c and applets/statsnoop. */
#ifndef STATSNOOP_H
#define STATSNOOP_H

#define STATSNOOP_PATH_LEN 256

struct stat_event {
	__u64 ts_ns;
	__u32 pid;  /* tgid */
	__u32 tid;
	__s32 ret;  /* 0, or -errno */
	__u32 syscall; /* STAT_SYS_* */
	char comm[16];
	char path[STATSNOOP_PATH_LEN];
};

#define STAT_SYS_STATFS 0
#define STAT_SYS_NEWSTAT 1
#define STAT_SYS_STATX 2
#define STAT_SYS_NEWFSTATAT 3
#define STAT_SYS_NEWLSTAT 4

#endif
