/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Arguments and return values of the C calling convention, read from the
 * pt_regs of kprobes and uprobes in generic (bpfel/bpfeb) objects: CO-RE
 * picks the running kernel's register layout (x86-64: di si dx cx r8 r9,
 * ax; arm64: x0-x5, x0). funcslower and argdist. */
#ifndef PROBEBOX_REGS_BPF_H
#define PROBEBOX_REGS_BPF_H

#include <bpf/bpf_core_read.h>

struct pt_regs___pb_x86 {
	unsigned long di, si, dx, cx, r8, r9, ax;
} __attribute__((preserve_access_index));

struct pt_regs___pb_arm64 {
	__u64 regs[31];
} __attribute__((preserve_access_index));

/* pb_reg_arg returns argument i (0-5) of the probed call. */
static __always_inline __u64 pb_reg_arg(void *ctx, int i)
{
	struct pt_regs___pb_x86 *x = ctx;
	struct pt_regs___pb_arm64 *a = ctx;

	if (bpf_core_field_exists(x->di)) {
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
	if (bpf_core_field_exists(a->regs) && i >= 0 && i < 6)
		return BPF_CORE_READ(a, regs[i]);
	return 0;
}

/* pb_reg_ret returns the return value at a kretprobe or uretprobe. */
static __always_inline __u64 pb_reg_ret(void *ctx)
{
	struct pt_regs___pb_x86 *x = ctx;
	struct pt_regs___pb_arm64 *a = ctx;

	if (bpf_core_field_exists(x->ax))
		return BPF_CORE_READ(x, ax);
	if (bpf_core_field_exists(a->regs))
		return BPF_CORE_READ(a, regs[0]);
	return 0;
}

#endif
