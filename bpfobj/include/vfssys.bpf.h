/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The system call stand-in of the tools that count vfs_* functions
 * (vfscount, vfsstat) where the kernel cannot trace the functions: one
 * program on every system call's entry (a raw tracepoint on sys_enter,
 * else the raw_syscalls:sys_enter tracepoint) looks the call's number up
 * in vfssys_table, which user space fills from the architecture's numbers
 * (core/vfssys): the tool's counter slot of the function the call leads
 * to, and how to read the call when one argument decides (open with
 * O_CREAT also creates, unlinkat of a directory is an rmdir). One
 * attachment rather than one tracepoint per call: detaching at exit is
 * one tracepoint unregistration, not forty.
 *
 * The including file declares, before including this:
 *   const volatile __u32 targ_pid;                    -p; 0: every process
 *   static __always_inline int vfssys_count(__u32 slot);  count one in slot
 * and gets the programs raw_sys_enter and tp_sys_enter. */
#ifndef PROBEBOX_VFSSYS_BPF_H
#define PROBEBOX_VFSSYS_BPF_H

#include "regs.bpf.h"

/* System call numbers the table covers. */
#define PB_VFSSYS_MAX 512
/* A slot the tool does not count (vfsstat has no mknod column). */
#define PB_VFSSYS_NO_SLOT 0xff

/* How an entry reads its call (core/vfssys How); 0: not counted. */
#define PB_VFSSYS_PLAIN 1    /* slot */
#define PB_VFSSYS_OPEN 2     /* slot, and alt too when the flags (arg) have O_CREAT */
#define PB_VFSSYS_OPENAT2 3  /* as OPEN, the flags in the struct open_how at arg */
#define PB_VFSSYS_CREAT 4    /* slot and alt */
#define PB_VFSSYS_MKNOD 5    /* alt for a regular file's mode (arg), else slot */
#define PB_VFSSYS_UNLINKAT 6 /* alt when the flags (arg) have AT_REMOVEDIR, else slot */

/* One system call's entry (core/vfssys Entry). */
struct pb_vfssys {
	__u8 how;
	__u8 slot;
	__u8 alt;
	__u8 arg; /* which argument decides: 1 or 2 */
};

const volatile struct pb_vfssys vfssys_table[PB_VFSSYS_MAX] = {};

/* The same on x86 and arm64. */
#define PB_VFSSYS_O_CREAT 0100
#define PB_VFSSYS_AT_REMOVEDIR 0x200
#define PB_VFSSYS_S_IFMT 00170000
#define PB_VFSSYS_S_IFREG 0100000

static __always_inline void vfssys_slot(__u8 slot)
{
	if (slot != PB_VFSSYS_NO_SLOT)
		vfssys_count(slot);
}

static __always_inline int vfssys_open(struct pb_vfssys *s, __u64 flags)
{
	vfssys_slot(s->slot);
	if (flags & PB_VFSSYS_O_CREAT)
		vfssys_slot(s->alt);
	return 0;
}

/* arg1 and arg2 are the call's second and third arguments. */
static __always_inline int vfssys_on_call(long nr, __u64 arg1, __u64 arg2)
{
	struct pb_vfssys s;
	struct open_how how = {};
	__u64 v;

	if (nr < 0 || nr >= PB_VFSSYS_MAX)
		return 0;
	s = vfssys_table[nr];
	if (!s.how)
		return 0;
	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	v = s.arg == 1 ? arg1 : arg2;
	switch (s.how) {
	case PB_VFSSYS_OPEN:
		return vfssys_open(&s, v);
	case PB_VFSSYS_OPENAT2:
		bpf_probe_read_user(&how, sizeof(how), (void *)v);
		return vfssys_open(&s, how.flags);
	case PB_VFSSYS_CREAT:
		return vfssys_open(&s, PB_VFSSYS_O_CREAT);
	case PB_VFSSYS_MKNOD:
		/* mknod of a regular file goes through vfs_create. */
		if ((v & PB_VFSSYS_S_IFMT) == 0 || (v & PB_VFSSYS_S_IFMT) == PB_VFSSYS_S_IFREG)
			vfssys_slot(s.alt);
		else
			vfssys_slot(s.slot);
		return 0;
	case PB_VFSSYS_UNLINKAT:
		vfssys_slot(v & PB_VFSSYS_AT_REMOVEDIR ? s.alt : s.slot);
		return 0;
	}
	vfssys_slot(s.slot);
	return 0;
}

/* sys_enter(struct pt_regs *regs, long id): the first three system call
 * arguments are in the registers of the C calling convention's first
 * three on both architectures, so pb_reg_arg reads them. Calls the table
 * does not count return before any register is read. */
SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	void *regs = (void *)ctx->args[0];
	long nr = ctx->args[1];

	if (nr < 0 || nr >= PB_VFSSYS_MAX || !vfssys_table[nr].how)
		return 0;
	return vfssys_on_call(nr, pb_reg_arg(regs, 1), pb_reg_arg(regs, 2));
}

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	return vfssys_on_call(ctx->id, ctx->args[1], ctx->args[2]);
}

#endif
