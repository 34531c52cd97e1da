/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by filelife.bpf.c and applets/filelife. */
#ifndef FILELIFE_H
#define FILELIFE_H

#define FILELIFE_NAME_LEN 64
#define FILELIFE_FULL_BIRTHS 0 /* slot of map_full */

struct filelife_event {
	__u64 age_ns; /* from creation to deletion */
	__u32 pid;    /* the deleting process */
	__u32 tid;
	char comm[16];
	char file[FILELIFE_NAME_LEN]; /* the name it was created with */
};

#endif
