/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by mountsnoop.bpf.c and applets/mountsnoop. */
#ifndef MOUNTSNOOP_H
#define MOUNTSNOOP_H

#define MOUNTSNOOP_STR_LEN 256

/* Operations (struct mount_event.op). */
#define MOUNT_OP_MOUNT 0
#define MOUNT_OP_UMOUNT 1
#define MOUNT_OP_FSOPEN 2
#define MOUNT_OP_FSCONFIG 3
#define MOUNT_OP_FSMOUNT 4
#define MOUNT_OP_MOVE_MOUNT 5

/* What each op keeps where:
 *   mount:      str0 source, str1 target, str2 fs type, str3 data; flags
 *   umount:     str0 target; flags
 *   fsopen:     str0 fs name; flags
 *   fsconfig:   int0 fd, int1 cmd, int2 aux; str0 key, str1 value
 *   fsmount:    int0 fs fd; flags; attr_flags
 *   move_mount: int0 from dfd, str0 from path, int1 to dfd, str1 to path; flags */
struct mount_event {
	__u64 ts_ns;
	__u64 delta_ns;
	__u64 flags;
	__u32 pid;
	__u32 tid;
	__u32 mnt_ns;
	__s32 ret;
	__u32 op;
	__u32 attr_flags;
	__s32 int0, int1, int2;
	__u32 pad;
	char comm[16];
	char str[4][MOUNTSNOOP_STR_LEN];
};

#endif
