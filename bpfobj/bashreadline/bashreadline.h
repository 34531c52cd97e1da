/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by bashreadline.bpf.c and applets/bashreadline. */
#ifndef BASHREADLINE_H
#define BASHREADLINE_H

#define BRL_LINE_LEN 256

struct line_event {
	__u64 ts_ns;
	__u64 cgroup_id;
	__u32 pid;
	__u32 uid;
	char comm[16];
	char line[BRL_LINE_LEN];
};

#endif
