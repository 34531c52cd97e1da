/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by vfscount.bpf.c and applets/vfscount. */
#ifndef VFSCOUNT_H
#define VFSCOUNT_H

/* Slot of map_full (mapfull.bpf.h). */
#define VFSCOUNT_FULL_COUNTS 0

/* Indexes of the stand-in's functions (applets/vfscount lists the names
 * in this order). */
#define VC_READ 1
#define VC_READV 2
#define VC_WRITE 3
#define VC_WRITEV 4
#define VC_OPEN 5
#define VC_CREATE 6
#define VC_FSYNC 7
#define VC_UNLINK 8
#define VC_RMDIR 9
#define VC_MKDIR 10
#define VC_RENAME 11
#define VC_STATX 12
#define VC_FSTAT 13
#define VC_LLSEEK 14
#define VC_FALLOCATE 15
#define VC_TRUNCATE 16
#define VC_SYMLINK 17
#define VC_LINK 18
#define VC_READLINK 19
#define VC_MKNOD 20

/* How the stand-in reads a system call (struct vfscount_sys.how). */
#define VC_HOW_PLAIN 0    /* counts under idx */
#define VC_HOW_OPEN 1     /* VC_OPEN, and VC_CREATE when flags (arg) has O_CREAT */
#define VC_HOW_OPENAT2 2  /* as OPEN, flags in the struct open_how at arg */
#define VC_HOW_CREAT 3    /* VC_OPEN and VC_CREATE */
#define VC_HOW_MKNOD 4    /* VC_CREATE for a regular file's mode (arg), else VC_MKNOD */
#define VC_HOW_UNLINKAT 5 /* VC_RMDIR when flags (arg) has AT_REMOVEDIR, else VC_UNLINK */

/* System call numbers the stand-in's table covers. */
#define VC_MAX_SYSCALL 512

/* One system call's entry of the stand-in's table; idx 0: not counted. */
struct vfscount_sys {
	__u8 idx;
	__u8 how;
	__u8 arg; /* which argument decides: 1 or 2 */
	__u8 pad;
};

struct vfscount_key {
	__u64 ip;  /* function address (kprobe), else 0 */
	__u32 idx; /* VC_* (syscall stand-in), else 0 */
	__u32 pad;
};

#endif
