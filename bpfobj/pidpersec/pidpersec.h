/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by pidpersec.bpf.c and applets/pidpersec. */
#ifndef PIDPERSEC_H
#define PIDPERSEC_H

/* Slots of the per-CPU counts array. */
#define PIDPERSEC_ALL 0     /* every new task: processes and threads */
#define PIDPERSEC_THREADS 1 /* of which threads (CLONE_THREAD) */

struct pidpersec_val {
	__u64 n;
};

#endif
