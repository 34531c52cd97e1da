/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by sigsnoop.bpf.c and applets/sigsnoop. */
#ifndef SIGSNOOP_H
#define SIGSNOOP_H

/* How the signal was sent (struct signal_event.source). */
#define SIG_SRC_GENERATE 0 /* signal:signal_generate, any sender */
#define SIG_SRC_KILL 1
#define SIG_SRC_TKILL 2
#define SIG_SRC_TGKILL 3

struct signal_event {
	__u64 ts_ns;
	__u32 pid;     /* sender's tgid */
	__u32 tid;     /* sender's thread */
	__s32 tpid;    /* target as given (kill: negative for a process group) */
	__s32 sig;
	__s32 ret;     /* kill family: 0 or -errno; signal_generate: TRACE_SIGNAL_* result */
	__u32 source;  /* SIG_SRC_* */
	char comm[16];
	char tcomm[16]; /* target's name, when the kernel told it */
};

#endif
