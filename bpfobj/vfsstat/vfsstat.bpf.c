//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* vfsstat: counts of VFS operations in a per-CPU array that user space
 * sums and clears at each interval. Three sets of programs, one chosen:
 * fentry or kprobe on the vfs_* functions libbpf-tools traces, or, where
 * neither exists, the system calls that lead to them (a stand-in that
 * counts calls made, not VFS operations done). -p applies here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "vfsstat.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VFS_S_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline int inc(__u32 slot)
{
	__u64 *n;

	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	n = bpf_map_lookup_elem(&stats, &slot);
	if (n)
		*n += 1; /* per-CPU: no other CPU writes it */
	return 0;
}

#define VFS_PROGS(fn, slot)                                  \
	SEC("fentry/" #fn) int BPF_PROG(fentry_##fn) { return inc(slot); } \
	SEC("kprobe/" #fn) int BPF_KPROBE(kprobe_##fn) { return inc(slot); }

VFS_PROGS(vfs_read, VFS_S_READ)
VFS_PROGS(vfs_write, VFS_S_WRITE)
VFS_PROGS(vfs_fsync_range, VFS_S_FSYNC)
VFS_PROGS(vfs_open, VFS_S_OPEN)
VFS_PROGS(vfs_create, VFS_S_CREATE)
VFS_PROGS(vfs_unlink, VFS_S_UNLINK)
VFS_PROGS(vfs_mkdir, VFS_S_MKDIR)
VFS_PROGS(vfs_rmdir, VFS_S_RMDIR)

/* The syscall stand-in. */
#define SYS_PROG(sys, slot)                                          \
	SEC("tracepoint/syscalls/sys_enter_" #sys)                    \
	int tp_##sys(struct trace_event_raw_sys_enter *ctx) { return inc(slot); }

SYS_PROG(read, VFS_S_READ)
SYS_PROG(readv, VFS_S_READ)
SYS_PROG(pread64, VFS_S_READ)
SYS_PROG(preadv, VFS_S_READ)
SYS_PROG(preadv2, VFS_S_READ)
SYS_PROG(write, VFS_S_WRITE)
SYS_PROG(writev, VFS_S_WRITE)
SYS_PROG(pwrite64, VFS_S_WRITE)
SYS_PROG(pwritev, VFS_S_WRITE)
SYS_PROG(pwritev2, VFS_S_WRITE)
SYS_PROG(fsync, VFS_S_FSYNC)
SYS_PROG(fdatasync, VFS_S_FSYNC)
SYS_PROG(mkdir, VFS_S_MKDIR)
SYS_PROG(mkdirat, VFS_S_MKDIR)
SYS_PROG(rmdir, VFS_S_RMDIR)
SYS_PROG(unlink, VFS_S_UNLINK)

#define PB_O_CREAT 0100 /* the same on x86 and arm64 */
#define PB_AT_REMOVEDIR 0x200

/* An open counts as OPEN, and as CREATE too when it may create. */
static __always_inline int on_open(__u64 flags)
{
	inc(VFS_S_OPEN);
	if (flags & PB_O_CREAT)
		inc(VFS_S_CREATE);
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
int tp_creat(struct trace_event_raw_sys_enter *ctx)
{
	return on_open(PB_O_CREAT);
}

/* mknod of a regular file goes through vfs_create. */
#define PB_S_IFMT 00170000
#define PB_S_IFREG 0100000

static __always_inline int on_mknod(__u64 mode)
{
	if ((mode & PB_S_IFMT) == 0 || (mode & PB_S_IFMT) == PB_S_IFREG)
		inc(VFS_S_CREATE);
	return 0;
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
	return inc(ctx->args[2] & PB_AT_REMOVEDIR ? VFS_S_RMDIR : VFS_S_UNLINK);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
