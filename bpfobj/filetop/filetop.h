/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by filetop.bpf.c and applets/filetop. */
#ifndef FILETOP_H
#define FILETOP_H

#define FILETOP_NAME_LEN 64
#define FILETOP_FULL_ENTRIES 0 /* slot of map_full */

/* One file as one thread uses it. */
struct filetop_key {
	__u64 inode;
	__u32 dev;
	__u32 rdev;
	__u32 pid;
	__u32 tid;
};

struct filetop_val {
	__u64 reads;
	__u64 read_bytes; /* requested */
	__u64 writes;
	__u64 write_bytes;
	char comm[16];
	char filename[FILETOP_NAME_LEN]; /* the last path component */
	char type;                       /* R, S or O */
	char pad[7];
};

#endif
