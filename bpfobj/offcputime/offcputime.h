/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What offcputime.bpf.c and applets/offcputime agree on besides the
 * stack key (struct pb_stack_key, stacks.bpf.h). */
#ifndef OFFCPUTIME_H
#define OFFCPUTIME_H

/* Slots of map_full (mapfull.bpf.h): blocked times the counts map had no
 * room for, stacks the stack map could not store, and threads switched
 * out that the start map had no room for. */
#define OFFCPUTIME_FULL_COUNTS 0
#define PB_STACKS_FULL_SLOT 1
#define OFFCPUTIME_FULL_START 2

#endif
