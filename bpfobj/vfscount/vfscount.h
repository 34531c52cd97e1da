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

struct vfscount_key {
	__u64 ip;  /* function address (kprobe), else 0 */
	__u32 idx; /* VC_* (syscall stand-in), else 0 */
	__u32 pad;
};

#endif
