/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by execsnoop.bpf.c and applets/execsnoop. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define EXECSNOOP_ARGSIZE 128
#define EXECSNOOP_MAX_ARGS 60
#define EXECSNOOP_DEFAULT_ARGS 20
#define EXECSNOOP_ARGS_BYTES (EXECSNOOP_MAX_ARGS * EXECSNOOP_ARGSIZE)
#define EXECSNOOP_LAST_ARG (EXECSNOOP_ARGS_BYTES - EXECSNOOP_ARGSIZE)

struct exec_event {
	__u64 ts_ns;      /* bpf_ktime_get_ns() when the exec returned */
	__s32 pid;        /* tgid */
	__s32 ppid;
	__u32 uid;
	__s32 retval;
	/* arguments read, plus one when more than max_args existed */
	__s32 args_count;
	__u32 args_size;  /* bytes used in args, NULs included */
	char comm[16];
	char args[EXECSNOOP_ARGS_BYTES]; /* filename, then argv[1..], NUL-separated */
};

/* Kinds of the tallies map (tally.bpf.h) in tally mode. */
#define EXECSNOOP_TALLY_OK 0
#define EXECSNOOP_TALLY_FAILED 1

#endif
