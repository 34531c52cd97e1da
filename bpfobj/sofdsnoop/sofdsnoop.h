/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by sofdsnoop.bpf.c and applets/sofdsnoop. */
#ifndef SOFDSNOOP_H
#define SOFDSNOOP_H

#define SOFDSNOOP_SEND 0
#define SOFDSNOOP_RECV 1

#define SOFDSNOOP_NAME_LEN 64
#define SOFDSNOOP_FULL_PENDING 0 /* map_full slot (mapfull.bpf.h) */

/* One file descriptor passed in an SCM_RIGHTS message. */
struct sofdsnoop_event {
	__u64 ts_ns;
	__u32 pid;
	__u32 tid;
	__u32 action;	/* SOFDSNOOP_SEND or SOFDSNOOP_RECV */
	__s32 sock_fd;
	__u64 sock_ino; /* the socket's inode: "socket:[ino]" */
	__s32 fd;	/* as the sender or the receiver numbers it */
	__u32 fd_mode;	/* i_mode of the file behind fd; 0: not open */
	__u64 fd_ino;
	__u32 index;	/* this fd's place in the message, from 0 */
	__u32 total;	/* fds in the message (SCM_RIGHTS), shown or not */
	char comm[16];
	char name[SOFDSNOOP_NAME_LEN]; /* the file's dentry name */
};

/* What sys_enter_sendmsg/recvmsg stash for the exit. */
struct sofdsnoop_args {
	__u64 msg; /* user struct msghdr * */
	__s32 sock_fd;
	__u32 action;
};

#endif
