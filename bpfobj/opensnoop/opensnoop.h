/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by opensnoop.bpf.c and applets/opensnoop. */
#ifndef OPENSNOOP_H
#define OPENSNOOP_H

#define OPENSNOOP_NAME_LEN 256

struct open_event {
	__u64 ts_ns;
	__u32 pid;   /* tgid */
	__u32 tid;
	__u32 uid;
	__s32 ret;   /* fd, or -errno */
	__s32 dfd;   /* directory fd of openat/openat2; AT_FDCWD for open */
	__u32 flags;
	__u32 mode;
	char comm[16];
	char fname[OPENSNOOP_NAME_LEN];
};

#endif
