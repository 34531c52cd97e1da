/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by mdflush.bpf.c and applets/mdflush. */
#ifndef MDFLUSH_H
#define MDFLUSH_H

struct mdflush_event {
	__u32 pid;
	char comm[16];
	char disk[32]; /* the md device ("md0") */
};

#endif
