/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by exitsnoop.bpf.c and applets/exitsnoop. */
#ifndef EXITSNOOP_H
#define EXITSNOOP_H

struct exit_event {
	__u64 start_ns;   /* task->start_time, CLOCK_MONOTONIC */
	__u64 exit_ns;    /* bpf_ktime_get_ns at exit */
	__u32 pid;        /* tgid */
	__u32 tid;
	__u32 ppid;       /* real parent's tgid */
	__u32 exit_code;  /* task->exit_code: status << 8 | core 0x80 | signal */
	__u32 uid;
	__u32 pad;
	__u64 cgroup_id;
	char comm[16];
};

#endif
