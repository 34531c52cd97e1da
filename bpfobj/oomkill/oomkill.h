/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by oomkill.bpf.c and applets/oomkill. */
#ifndef OOMKILL_H
#define OOMKILL_H

struct oom_event {
	__u64 ts_ns;
	__u64 pages;     /* kprobe: oc->totalpages; tracepoint: victim's total_vm */
	__u32 fpid;      /* triggering process (the one that hit the limit) */
	__u32 tpid;      /* the victim */
	__u32 from_kprobe;
	__u32 pad;
	char fcomm[16];
	char tcomm[16];
};

#endif
