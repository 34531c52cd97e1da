/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by setuids.bpf.c and applets/setuids. */
#ifndef SETUIDS_H
#define SETUIDS_H

/* struct setid_event.syscall */
#define SETID_SETUID 0
#define SETID_SETFSUID 1
#define SETID_SETREUID 2
#define SETID_SETRESUID 3
#define SETID_SETGID 4
#define SETID_SETFSGID 5
#define SETID_SETREGID 6
#define SETID_SETRESGID 7

struct setid_event {
	__u64 ts_ns;
	__u32 pid; /* tgid */
	__u32 tid;
	__u32 uid; /* the caller's ids before the call */
	__u32 gid;
	__u32 syscall;
	__s32 ret; /* setfsuid/setfsgid: the previous fs id */
	__s32 args[3];
	__u32 pad;
	char comm[16];
};

#endif
