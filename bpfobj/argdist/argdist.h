/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by argdist.bpf.c and applets/argdist. */
#ifndef ARGDIST_H
#define ARGDIST_H

#define ARGDIST_MAX_SLOTS 64

/* Where a value comes from (src_* and filter_* constants). */
#define ARGDIST_SRC_ONE 0    /* the constant 1: counts calls */
#define ARGDIST_SRC_ARG 1    /* argument src_arg of the call */
#define ARGDIST_SRC_RET 2    /* the return value */
#define ARGDIST_SRC_PID 3    /* the process ID */
#define ARGDIST_SRC_FIELD 4  /* a tracepoint field: src_off, src_size */
#define ARGDIST_SRC_CONST 5  /* a literal */

/* Filter operators. */
#define ARGDIST_OP_NONE 0
#define ARGDIST_OP_EQ 1
#define ARGDIST_OP_NE 2
#define ARGDIST_OP_LT 3
#define ARGDIST_OP_LE 4
#define ARGDIST_OP_GT 5
#define ARGDIST_OP_GE 6

/* Slot of map_full: values the counts map had no room for (-C). */
#define ARGDIST_FULL_COUNTS 0

struct argdist_hist {
	__u64 slots[ARGDIST_MAX_SLOTS];
};

#endif
