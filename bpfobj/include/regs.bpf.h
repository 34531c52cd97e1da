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

/* Arguments and return values are read from the probe's context at fixed
 * offsets, the kernel's ABI (x86-64's struct pt_regs in asm/ptrace.h;
 * arm64's pt_regs starts with user_pt_regs), not through CO-RE: clang
 * hoists relocated offsets out of the architecture's branch (funcslower's
 * loop over arguments did), and an offset that does not relocate on the
 * other architecture poisons its instruction, which the verifier then
 * reaches. */
#define PB_X86_OFF_DI 112
#define PB_X86_OFF_SI 104
#define PB_X86_OFF_DX 96
#define PB_X86_OFF_CX 88
#define PB_X86_OFF_R8 72
#define PB_X86_OFF_R9 64
#define PB_X86_OFF_AX 80

/* Through bpf_probe_read_kernel, as BPF_CORE_READ read them: clang may
 * fold the switch below into one pointer it then loads, and the verifier
 * refuses a load through a modified context pointer. */
static __always_inline __u64 pb_ctx_u64(void *ctx, const int off)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), (char *)ctx + off);
	return v;
}

/* pb_reg_arg returns argument i (0-5) of the probed call, in a kprobe or
 * uprobe program (ctx is its pt_regs). */
static __always_inline __u64 pb_reg_arg(void *ctx, int i)
{
	if (PB_IS_X86) {
		switch (i) {
		case 0: return pb_ctx_u64(ctx, PB_X86_OFF_DI);
		case 1: return pb_ctx_u64(ctx, PB_X86_OFF_SI);
		case 2: return pb_ctx_u64(ctx, PB_X86_OFF_DX);
		case 3: return pb_ctx_u64(ctx, PB_X86_OFF_CX);
		case 4: return pb_ctx_u64(ctx, PB_X86_OFF_R8);
		case 5: return pb_ctx_u64(ctx, PB_X86_OFF_R9);
		}
		return 0;
	}
	switch (i) { /* arm64: x0-x5 */
	case 0: return pb_ctx_u64(ctx, 0);
	case 1: return pb_ctx_u64(ctx, 8);
	case 2: return pb_ctx_u64(ctx, 16);
	case 3: return pb_ctx_u64(ctx, 24);
	case 4: return pb_ctx_u64(ctx, 32);
	case 5: return pb_ctx_u64(ctx, 40);
	}
	return 0;
}

/* pb_reg_ret returns the return value at a kretprobe or uretprobe. */
static __always_inline __u64 pb_reg_ret(void *ctx)
{
	if (PB_IS_X86)
		return pb_ctx_u64(ctx, PB_X86_OFF_AX);
	return pb_ctx_u64(ctx, 0); /* x0 */
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
