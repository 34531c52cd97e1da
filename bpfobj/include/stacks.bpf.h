/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The stack tools' (profile, offcputime, stackcount) stack map and a
 * bpf_get_stackid that counts the stacks it could not store.
 *
 * bpf_get_stackid fails with -EEXIST when the stack hashes to a bucket
 * another stack holds (without BPF_F_REUSE_STACKID) and -ENOMEM when the
 * map has no free element: either way the sample's stack is lost, so it
 * is counted in map_full slot PB_STACKS_FULL_SLOT and reported by user
 * space ("raise --stack-storage-size"). -EFAULT (no user stack: a kernel
 * thread) is no loss and is not counted. Include mapfull.bpf.h first. */
#ifndef PROBEBOX_STACKS_BPF_H
#define PROBEBOX_STACKS_BPF_H

#include <bpf/bpf_helpers.h>

#define PB_MAX_STACK_DEPTH 127 /* the kernel's PERF_MAX_STACK_DEPTH */
#define PB_EFAULT 14
#ifndef PB_STACKS_FULL_SLOT
#define PB_STACKS_FULL_SLOT 1
#endif

/* Key of the stack tools' counts maps: one thread in one pair of stacks
 * (core/stacks decodes it). A stack id is a negative errno when there is
 * no stack (-EFAULT: no user stack; -EEXIST, -ENOMEM: the stack map could
 * not store it) and PB_NOT_COLLECTED with -U or -K. */
#define PB_NOT_COLLECTED 0x7fffffff
#define PB_STACK_COMM_LEN 16
struct pb_stack_key {
	__u32 pid; /* tgid */
	__u32 tid;
	__s32 user_stack_id;
	__s32 kernel_stack_id;
	char comm[PB_STACK_COMM_LEN];
};

/* Sized by user space from --stack-storage-size. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__uint(value_size, PB_MAX_STACK_DEPTH * sizeof(__u64));
} stack_traces SEC(".maps");

/* stack_id returns the stack's id, or a negative errno; a lost stack is
 * counted. */
static __always_inline int stack_id(void *ctx, __u64 flags)
{
	int id = (int)bpf_get_stackid(ctx, &stack_traces, flags);

	if (id < 0 && id != -PB_EFAULT)
		count_full(PB_STACKS_FULL_SLOT);
	return id;
}

#endif /* PROBEBOX_STACKS_BPF_H */
