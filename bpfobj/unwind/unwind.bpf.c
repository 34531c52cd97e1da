//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The .eh_frame walker as a subprogram another program can call:
 * pb_unwind_ustack(tgid, depth) returns the id of the current task's user
 * stack in unwound_stacks, or a negative errno (unwind_user_stack_depth).
 * walk_entry exists only so that the object carries the subprogram and
 * its maps; trace copies pb_unwind_ustack and what it calls out of it. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "mapfull.bpf.h"
#include "stacks.bpf.h"
#include "unwind.bpf.h"

/* Global, so that clang keeps both arguments (a static function's
 * constant arguments would be folded in); the copy loses its BTF, and the
 * kernel then verifies it as a static subprogram, in its caller's
 * context. */
__noinline int pb_unwind_ustack(__u32 tgid, __u32 depth)
{
	return unwind_user_stack_depth(tgid, depth);
}

SEC("kprobe")
int walk_entry(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();

	return pb_unwind_ustack(id >> 32, (__u32)id);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
