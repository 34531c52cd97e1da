/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by threadsnoop.bpf.c and applets/threadsnoop. */
#ifndef THREADSNOOP_H
#define THREADSNOOP_H

struct thread_event {
	__u64 ts_ns;      /* bpf_ktime_get_ns at pthread_create() */
	__u64 start;      /* start_routine: the new thread's function */
	__u32 pid;        /* tgid of the creating process */
	__u32 tid;        /* creating thread */
	__u64 cgroup_id;
	char comm[16];
};

#endif
