//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* vfscount: calls of vfs_* functions counted by function in the counts
 * map, printed at Ctrl-C, as bcc's vfscount. One kprobe program attached
 * to each function, keyed by the function's address; where the kernel has
 * no kprobes, the system calls that lead to those functions, keyed by the
 * function they lead to (a stand-in: calls made, not functions run). -p
 * applies here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
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

#define SYS_PROG(sys, idx)                                 \
	SEC("tracepoint/syscalls/sys_enter_" #sys)          \
	int tp_##sys(void *ctx) { return count_idx(idx); }

SYS_PROG(read, VC_READ)
SYS_PROG(pread64, VC_READ)
SYS_PROG(readv, VC_READV)
SYS_PROG(preadv, VC_READV)
SYS_PROG(preadv2, VC_READV)
SYS_PROG(write, VC_WRITE)
SYS_PROG(pwrite64, VC_WRITE)
SYS_PROG(writev, VC_WRITEV)
SYS_PROG(pwritev, VC_WRITEV)
SYS_PROG(pwritev2, VC_WRITEV)
SYS_PROG(fsync, VC_FSYNC)
SYS_PROG(fdatasync, VC_FSYNC)
SYS_PROG(rmdir, VC_RMDIR)
SYS_PROG(unlink, VC_UNLINK)
SYS_PROG(mkdir, VC_MKDIR)
SYS_PROG(mkdirat, VC_MKDIR)
SYS_PROG(rename, VC_RENAME)
SYS_PROG(renameat, VC_RENAME)
SYS_PROG(renameat2, VC_RENAME)
SYS_PROG(newstat, VC_STATX)
SYS_PROG(newlstat, VC_STATX)
SYS_PROG(newfstatat, VC_STATX)
SYS_PROG(statx, VC_STATX)
SYS_PROG(newfstat, VC_FSTAT)
SYS_PROG(lseek, VC_LLSEEK)
SYS_PROG(fallocate, VC_FALLOCATE)
SYS_PROG(truncate, VC_TRUNCATE)
SYS_PROG(symlink, VC_SYMLINK)
SYS_PROG(symlinkat, VC_SYMLINK)
SYS_PROG(link, VC_LINK)
SYS_PROG(linkat, VC_LINK)
SYS_PROG(readlink, VC_READLINK)
SYS_PROG(readlinkat, VC_READLINK)

#define PB_O_CREAT 0100
#define PB_AT_REMOVEDIR 0x200

static __always_inline int on_open(__u64 flags)
{
	count_idx(VC_OPEN);
	if (flags & PB_O_CREAT)
		count_idx(VC_CREATE);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int tp_open(struct trace_event_raw_sys_enter *ctx)
{
	return on_open(ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat(struct trace_event_raw_sys_enter *ctx)
{
	return on_open(ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int tp_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]);
	return on_open(how.flags);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int tp_creat(void *ctx)
{
	return on_open(PB_O_CREAT);
}

/* mknod of a regular file goes through vfs_create, others vfs_mknod. */
#define PB_S_IFMT 00170000
#define PB_S_IFREG 0100000

static __always_inline int on_mknod(__u64 mode)
{
	if ((mode & PB_S_IFMT) == 0 || (mode & PB_S_IFMT) == PB_S_IFREG)
		return count_idx(VC_CREATE);
	return count_idx(VC_MKNOD);
}

SEC("tracepoint/syscalls/sys_enter_mknod")
int tp_mknod(struct trace_event_raw_sys_enter *ctx)
{
	return on_mknod(ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_mknodat")
int tp_mknodat(struct trace_event_raw_sys_enter *ctx)
{
	return on_mknod(ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int tp_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	return count_idx(ctx->args[2] & PB_AT_REMOVEDIR ? VC_RMDIR : VC_UNLINK);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
