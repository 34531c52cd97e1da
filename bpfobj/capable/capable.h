/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by capable.bpf.c and applets/capable. */
#ifndef CAPABLE_H
#define CAPABLE_H

struct cap_event {
	__u64 ts_ns;
	__u64 cgroup_id;
	__u32 pid; /* tgid */
	__u32 tid;
	__u32 uid;
	__s32 cap;
	__s32 ret;     /* 0 allowed, else -EPERM */
	__s32 audit;   /* 1 audited, 0 not (CAP_OPT_NOAUDIT), -1 unknown */
	__s32 insetid; /* 1 with CAP_OPT_INSETID, 0 not, -1 unknown */
	__u32 pad;
	char comm[16];
	__s32 kernel_stack_id; /* -K; PB_NOT_COLLECTED without */
	__s32 user_stack_id;   /* -U; PB_NOT_COLLECTED without */
};

#endif
