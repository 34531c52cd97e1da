/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Count-map layout shared by offwaketime.bpf.c and applets/offwaketime. */
#ifndef OFFWAKETIME_H
#define OFFWAKETIME_H

#define OFFWAKETIME_FULL_COUNTS 0
#define PB_STACKS_FULL_SLOT 1
#define OFFWAKETIME_FULL_START 2
#define OFFWAKETIME_FULL_WOKEBY 3

/* Key of the counts map: the blocked (target) thread's stacks joined with
 * the stacks of the thread that woke it (zero ids and names when no
 * wakeup was seen: a thread preempted, or woken before tracing began). */
struct offwaketime_key {
	__u32 w_pid, t_pid; /* tgids */
	__s32 w_user_stack_id, w_kernel_stack_id;
	__s32 t_user_stack_id, t_kernel_stack_id;
	char waker[16];
	char target[16];
};

#endif
