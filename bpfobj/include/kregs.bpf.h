/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* kprobe arguments and return values for objects built for no particular
 * architecture: both register layouts are named, and CO-RE keeps the one
 * the running kernel has (the other branch is dead code to the verifier).
 * Arguments 1-5: x86_64 di, si, dx, cx, r8; arm64 x0-x4. */
#ifndef PROBEBOX_KREGS_BPF_H
#define PROBEBOX_KREGS_BPF_H

#include <bpf/bpf_core_read.h>

struct pt_regs___pb_x86 {
	unsigned long di, si, dx, cx, r8, ax, orig_ax;
} __attribute__((preserve_access_index));

struct pt_regs___pb_arm64 {
	unsigned long regs[31];
	long long syscallno;
} __attribute__((preserve_access_index));

#define PB_X86(ctx) ((struct pt_regs___pb_x86 *)(ctx))
#define PB_ARM64(ctx) ((struct pt_regs___pb_arm64 *)(ctx))
#define PB_IS_X86 bpf_core_field_exists(((struct pt_regs___pb_x86 *)0)->di)

static __always_inline unsigned long pb_kprobe_arg(void *ctx, int n)
{
	if (PB_IS_X86) {
		switch (n) {
		case 1: return BPF_CORE_READ(PB_X86(ctx), di);
		case 2: return BPF_CORE_READ(PB_X86(ctx), si);
		case 3: return BPF_CORE_READ(PB_X86(ctx), dx);
		case 4: return BPF_CORE_READ(PB_X86(ctx), cx);
		default: return BPF_CORE_READ(PB_X86(ctx), r8);
		}
	}
	switch (n) {
	case 1: return BPF_CORE_READ(PB_ARM64(ctx), regs[0]);
	case 2: return BPF_CORE_READ(PB_ARM64(ctx), regs[1]);
	case 3: return BPF_CORE_READ(PB_ARM64(ctx), regs[2]);
	case 4: return BPF_CORE_READ(PB_ARM64(ctx), regs[3]);
	default: return BPF_CORE_READ(PB_ARM64(ctx), regs[4]);
	}
}

static __always_inline unsigned long pb_kprobe_ret(void *ctx)
{
	if (PB_IS_X86)
		return BPF_CORE_READ(PB_X86(ctx), ax);
	return BPF_CORE_READ(PB_ARM64(ctx), regs[0]);
}

/* The syscall number of a task's user registers (the raw_syscalls raw
 * tracepoints pass those registers): orig_ax on x86_64, syscallno on
 * arm64; -1 when the task is not in a syscall. */
static __always_inline long pb_syscall_nr(void *regs)
{
	if (PB_IS_X86)
		return BPF_CORE_READ(PB_X86(regs), orig_ax);
	return BPF_CORE_READ(PB_ARM64(regs), syscallno);
}

#endif /* PROBEBOX_KREGS_BPF_H */
