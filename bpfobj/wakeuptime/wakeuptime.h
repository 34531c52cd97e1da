/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Count-map layout shared by wakeuptime.bpf.c and applets/wakeuptime. */
#ifndef WAKEUPTIME_H
#define WAKEUPTIME_H

#define WAKEUPTIME_FULL_COUNTS 0
#define PB_STACKS_FULL_SLOT 1
#define WAKEUPTIME_FULL_START 2

/* Key of the counts map: who woke whom, from which (waker's) stacks. */
struct wakeuptime_key {
	__u32 w_pid; /* waker tgid */
	__u32 t_pid; /* target tgid */
	__s32 w_user_stack_id;
	__s32 w_kernel_stack_id;
	char waker[16];
	char target[16];
};

#endif
