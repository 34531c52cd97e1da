/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Arguments and return values of the C calling convention, read from the
 * pt_regs of kprobes and uprobes in generic (bpfel/bpfeb) objects: both
 * register layouts are named and CO-RE keeps the running kernel's (the
 * other branch is dead code to the verifier). x86-64: di si dx cx r8 r9,
 * return ax; arm64: x0-x5, return x0. Also where a user stack walk starts
 * (pb_user_regs). The one place tools read registers. */
#ifndef PROBEBOX_REGS_BPF_H
#define PROBEBOX_REGS_BPF_H

#include <bpf/bpf_core_read.h>

struct pt_regs___pb_x86 {
	unsigned long di, si, dx, cx, r8, r9, ax, orig_ax;
} __attribute__((preserve_access_index));

struct pt_regs___pb_arm64 {
	__u64 regs[31];
	long long syscallno;
} __attribute__((preserve_access_index));

#define PB_IS_X86 bpf_core_field_exists(((struct pt_regs___pb_x86 *)0)->di)

/* pb_reg_arg returns argument i (0-5) of the probed call. */
static __always_inline __u64 pb_reg_arg(void *ctx, int i)
{
	struct pt_regs___pb_x86 *x = ctx;
	struct pt_regs___pb_arm64 *a = ctx;

	if (PB_IS_X86) {
		switch (i) {
		case 0: return BPF_CORE_READ(x, di);
		case 1: return BPF_CORE_READ(x, si);
		case 2: return BPF_CORE_READ(x, dx);
		case 3: return BPF_CORE_READ(x, cx);
		case 4: return BPF_CORE_READ(x, r8);
		case 5: return BPF_CORE_READ(x, r9);
		}
		return 0;
	}
	if (i >= 0 && i < 6)
		return BPF_CORE_READ(a, regs[i]);
	return 0;
}

/* pb_reg_ret returns the return value at a kretprobe or uretprobe. */
static __always_inline __u64 pb_reg_ret(void *ctx)
{
	if (PB_IS_X86)
		return BPF_CORE_READ((struct pt_regs___pb_x86 *)ctx, ax);
	return BPF_CORE_READ((struct pt_regs___pb_arm64 *)ctx, regs[0]);
}

/* The syscall number of a task's user registers (the raw_syscalls raw
 * tracepoints pass those registers): orig_ax on x86_64, syscallno on
 * arm64; -1 when the task is not in a syscall. */
static __always_inline long pb_syscall_nr(void *regs)
{
	if (PB_IS_X86)
		return BPF_CORE_READ((struct pt_regs___pb_x86 *)regs, orig_ax);
	return BPF_CORE_READ((struct pt_regs___pb_arm64 *)regs, syscallno);
}

/* pb_user_regs reads where a walk of a task's user stack starts, from its
 * user registers (bpf_task_pt_regs): the pc, the stack pointer, the frame
 * pointer (rbp; x29) and the link register (x30; 0 on x86-64, which has
 * none: the return address is on the stack). */
struct pt_regs___pb_x86_user {
	unsigned long ip, sp, bp;
} __attribute__((preserve_access_index));

struct pt_regs___pb_arm64_user {
	__u64 regs[31];
	__u64 sp, pc;
} __attribute__((preserve_access_index));

static __always_inline void pb_user_regs(void *regs, __u64 *pc, __u64 *sp, __u64 *fp, __u64 *lr)
{
	struct pt_regs___pb_x86_user *x = regs;
	struct pt_regs___pb_arm64_user *a = regs;

	if (PB_IS_X86) {
		*pc = BPF_CORE_READ(x, ip);
		*sp = BPF_CORE_READ(x, sp);
		*fp = BPF_CORE_READ(x, bp);
		*lr = 0;
		return;
	}
	*pc = BPF_CORE_READ(a, pc);
	*sp = BPF_CORE_READ(a, sp);
	*fp = BPF_CORE_READ(a, regs[29]);
	*lr = BPF_CORE_READ(a, regs[30]);
}

#endif /* PROBEBOX_REGS_BPF_H */
