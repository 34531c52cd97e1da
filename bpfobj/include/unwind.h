/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What unwind.bpf.h and core/unwind agree on: the layout of unwind rows,
 * of a process's executable mappings and of the walker's counters. */
#ifndef PROBEBOX_UNWIND_H
#define PROBEBOX_UNWIND_H

#define PB_UNWIND_MAX_DEPTH 127   /* frames of one user stack (PB_MAX_STACK_DEPTH) */
#define PB_UNWIND_MAX_MAPPINGS 64 /* executable mappings of one process */
#define PB_UNWIND_SEARCH_STEPS 24 /* binary search: tables up to 16M rows */

/* pb_unwind_row.base (core/unwind Base) */
#define PB_UNWIND_NONE 0 /* no rule here: take the frame-pointer step */
#define PB_UNWIND_SP 1   /* CFA = sp + cfa_off */
#define PB_UNWIND_FP 2   /* CFA = fp + cfa_off */
#define PB_UNWIND_PLT 3  /* CFA = sp + 8 (+8 when (pc & 15) >= cfa_off) */
#define PB_UNWIND_END 4  /* the outermost frame */

/* One unwind rule, from pc (the file's virtual address) to the next
 * row's. fp_off, ra_off: where the caller's frame pointer and the return
 * address are saved, relative to the CFA; 0: still in the register. */
struct pb_unwind_row {
	__u32 pc;
	__s32 cfa_off;
	__s16 fp_off;
	__s16 ra_off;
	__u8 base;
	__u8 pad[3];
};

/* One executable mapping: addresses start..end of the process map the
 * file whose unwind table is unwind_tables[table] (rows rows), at
 * address - bias in the file. table 0: no table (a Go binary, which keeps
 * frame pointers): frame-pointer steps. table PB_UNWIND_TABLE_PENDING:
 * the file's table is not built yet (rows is then user space's number of
 * the file): the walker asks for it in unwind_wanted
 * (PB_UNWIND_WANT_FILE | rows) and takes frame-pointer steps there. */
#define PB_UNWIND_TABLE_PENDING 0xffffffffU
#define PB_UNWIND_WANT_FILE 0x80000000U /* above every pid */
/* unwind_wanted key PB_UNWIND_WANT_EXEC | tgid: the process runs another
 * image than its entry describes (it exec'd since, or its PID was
 * reused): user space reads its mappings again. */
#define PB_UNWIND_WANT_EXEC 0x40000000U
/* unwind_wanted key PB_UNWIND_WANT_MAPS | tgid: a frame's address is in
 * none of the entry's mappings (mapped since it was read: the dynamic
 * loader's libraries right after an exec, dlopen; or JIT code): user
 * space reads the mappings again if they changed (rate-limited). */
#define PB_UNWIND_WANT_MAPS 0x20000000U
struct pb_unwind_mapping {
	__u64 start, end, bias;
	__u32 table, rows;
};

/* A process's mappings, sorted by start. start_code: its mm's start_code
 * when user space read them (/proc/PID/stat; 0: unknown, not checked),
 * which exec changes. */
struct pb_unwind_proc {
	__u32 n;
	__u32 pad;
	__u64 start_code;
	struct pb_unwind_mapping m[PB_UNWIND_MAX_MAPPINGS];
};

/* Slots of unwind_stats. */
#define PB_UNWIND_STACKS 0      /* user stacks walked */
#define PB_UNWIND_NO_TABLES 1   /* ... of processes whose tables were not loaded yet (frame pointers only) */
#define PB_UNWIND_TRUNCATED 2   /* ... that had more than PB_UNWIND_MAX_DEPTH frames */
#define PB_UNWIND_COLLISIONS 3  /* ... lost: another stack held their hash in unwound_stacks */
#define PB_UNWIND_TABLE_FRAMES 4 /* frames unwound with a table row */
#define PB_UNWIND_FP_FRAMES 5   /* frames unwound with the frame pointer */
#define PB_UNWIND_PENDING_FRAMES 6 /* ... of them in files whose table was not built yet */
#define PB_UNWIND_STATS 7

#endif /* PROBEBOX_UNWIND_H */
