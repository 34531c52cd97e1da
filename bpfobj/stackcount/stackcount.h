/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What stackcount.bpf.c and applets/stackcount agree on besides the stack
 * key (struct pb_stack_key, stacks.bpf.h). */
#ifndef STACKCOUNT_H
#define STACKCOUNT_H

/* Slots of map_full (mapfull.bpf.h): events the counts map had no room
 * for, and stacks the stack map could not store. */
#define STACKCOUNT_FULL_COUNTS 0
#define PB_STACKS_FULL_SLOT 1

#endif
