/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by writeback.bpf.c and applets/writeback. */
#ifndef WRITEBACK_H
#define WRITEBACK_H

#define WRITEBACK_FULL_STARTS 0 /* slot of map_full */

struct writeback_event {
	__u64 lat_ns;   /* writeback_start to writeback_written; 0 if unseen */
	__s64 nr_pages; /* the work's page budget left, as the tracepoint shows */
	__s64 written;  /* pages written: the budget used since the start */
	__u32 reason;   /* enum wb_reason */
	__u32 sb_dev;   /* the file system's dev_t, 0 for a device-wide work */
	__u32 started;  /* 1: the start was seen (latency and written hold) */
	__u32 pad;
	char name[32];  /* the backing device ("7:0") */
};

#endif
