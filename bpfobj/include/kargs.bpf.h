/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* kprobe arguments for objects built for no particular architecture:
 * both register layouts are named and CO-RE keeps the running kernel's
 * (the other branch is dead code to the verifier). x86-64 and arm64. */
#ifndef PROBEBOX_KARGS_BPF_H
#define PROBEBOX_KARGS_BPF_H

struct pt_regs___kx86 {
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long cx;
	unsigned long ax;
} __attribute__((preserve_access_index));

struct pt_regs___karm64 {
	unsigned long regs[31];
} __attribute__((preserve_access_index));

#define PBX_KARG_X86(ctx, reg) BPF_CORE_READ((struct pt_regs___kx86 *)(ctx), reg)
#define PBX_KARG_ARM64(ctx, n) BPF_CORE_READ((struct pt_regs___karm64 *)(ctx), regs[n])
#define PBX_HAVE_X86_REGS bpf_core_field_exists(((struct pt_regs___kx86 *)0)->di)

static __always_inline unsigned long karg1(void *ctx)
{
	return PBX_HAVE_X86_REGS ? PBX_KARG_X86(ctx, di) : PBX_KARG_ARM64(ctx, 0);
}

static __always_inline unsigned long karg2(void *ctx)
{
	return PBX_HAVE_X86_REGS ? PBX_KARG_X86(ctx, si) : PBX_KARG_ARM64(ctx, 1);
}

static __always_inline unsigned long karg3(void *ctx)
{
	return PBX_HAVE_X86_REGS ? PBX_KARG_X86(ctx, dx) : PBX_KARG_ARM64(ctx, 2);
}

static __always_inline unsigned long karg4(void *ctx)
{
	return PBX_HAVE_X86_REGS ? PBX_KARG_X86(ctx, cx) : PBX_KARG_ARM64(ctx, 3);
}

static __always_inline unsigned long kret(void *ctx)
{
	return PBX_HAVE_X86_REGS ? PBX_KARG_X86(ctx, ax) : PBX_KARG_ARM64(ctx, 0);
}

#endif
