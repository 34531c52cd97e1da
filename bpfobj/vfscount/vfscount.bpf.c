//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* vfscount: calls of vfs_* functions counted by function in the counts
 * map, printed at Ctrl-C, as bcc's vfscount. One kprobe program attached
 * to each function, keyed by the function's address; where the kernel has
 * no kprobes, the system calls that lead to those functions (one program
 * on raw_syscalls sys_enter), keyed by the function they lead to (a
 * stand-in: calls made, not functions run). -p applies here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "vfscount.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct vfscount_key);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int count(struct vfscount_key *k)
{
	static const __u64 one = 1;
	__u64 *n;

	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	n = bpf_map_lookup_elem(&counts, k);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return 0;
	}
	/* EEXIST: another CPU made the key first; count there. */
	if (update_counted(&counts, k, &one, BPF_NOEXIST, VFSCOUNT_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, k);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 0;
}

SEC("kprobe")
int kprobe_vfs(struct pt_regs *ctx)
{
	struct vfscount_key k = {.ip = bpf_get_func_ip(ctx)};

	return count(&k);
}

static __always_inline int count_idx(__u32 idx)
{
	struct vfscount_key k = {.idx = idx};

	return count(&k);
}

/* The stand-in: one program on every system call's entry (one attachment,
 * so detaching at exit is one tracepoint unregistration, not forty), the
 * call's number looked up in sys_table, which user space fills from the
 * architecture's numbers: which vfs function the call leads to and how to
 * tell when one argument decides it. */
const volatile struct vfscount_sys sys_table[VC_MAX_SYSCALL] = {};

#define PB_O_CREAT 0100
#define PB_AT_REMOVEDIR 0x200
/* mknod of a regular file goes through vfs_create, others vfs_mknod. */
#define PB_S_IFMT 00170000
#define PB_S_IFREG 0100000

static __always_inline int on_open(__u64 flags)
{
	count_idx(VC_OPEN);
	if (flags & PB_O_CREAT)
		count_idx(VC_CREATE);
	return 0;
}

/* arg1 and arg2 are the call's second and third arguments. */
static __always_inline int on_syscall(long nr, __u64 arg1, __u64 arg2)
{
	struct vfscount_sys s;
	struct open_how how = {};
	__u64 v;

	if (nr < 0 || nr >= VC_MAX_SYSCALL)
		return 0;
	s = sys_table[nr];
	if (!s.idx)
		return 0;
	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	v = s.arg == 1 ? arg1 : arg2;
	switch (s.how) {
	case VC_HOW_OPEN:
		return on_open(v);
	case VC_HOW_OPENAT2:
		bpf_probe_read_user(&how, sizeof(how), (void *)v);
		return on_open(how.flags);
	case VC_HOW_CREAT:
		return on_open(PB_O_CREAT);
	case VC_HOW_MKNOD:
		if ((v & PB_S_IFMT) == 0 || (v & PB_S_IFMT) == PB_S_IFREG)
			return count_idx(VC_CREATE);
		return count_idx(VC_MKNOD);
	case VC_HOW_UNLINKAT:
		return count_idx(v & PB_AT_REMOVEDIR ? VC_RMDIR : VC_UNLINK);
	}
	return count_idx(s.idx);
}

/* sys_enter(struct pt_regs *regs, long id): the first three system call
 * arguments are in the registers of the C calling convention's first
 * three on both architectures, so pb_reg_arg reads them. */
SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	void *regs = (void *)ctx->args[0];
	long nr = ctx->args[1];

	if (nr < 0 || nr >= VC_MAX_SYSCALL || !sys_table[nr].idx)
		return 0;
	return on_syscall(nr, pb_reg_arg(regs, 1), pb_reg_arg(regs, 2));
}

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_syscall(ctx->id, ctx->args[1], ctx->args[2]);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
