/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What profile.bpf.c and applets/profile agree on besides the stack key
 * (struct pb_stack_key, stacks.bpf.h). */
#ifndef PROFILE_H
#define PROFILE_H

/* Slots of map_full (mapfull.bpf.h): samples the counts map had no room
 * for, and stacks the stack map could not store. */
#define PROFILE_FULL_COUNTS 0
#define PB_STACKS_FULL_SLOT 1

#endif
