/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by funcslower.bpf.c and applets/funcslower. */
#ifndef FUNCSLOWER_H
#define FUNCSLOWER_H

#define FUNCSLOWER_MAX_ARGS 6
#define FUNCSLOWER_COMM_LEN 16

/* Slot of map_full: calls not timed because the start map was full. */
#define FUNCSLOWER_FULL_START 0

/* One call slower than the threshold. */
struct funcslower_event {
	__u64 delta_ns;
	__u64 retval;
	__u64 args[FUNCSLOWER_MAX_ARGS];
	__u32 pid;
	__u32 tid;
	__u32 idx; /* which target */
	__u32 pad;
	char comm[FUNCSLOWER_COMM_LEN];
	__s32 kernel_stack_id; /* -K, at the return; PB_NOT_COLLECTED without */
	__s32 user_stack_id;   /* -U, at the return; PB_NOT_COLLECTED without */
};

#endif
