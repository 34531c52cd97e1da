//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* vfsstat: counts of VFS operations in a per-CPU array that user space
 * sums and clears at each interval. Three sets of programs, one chosen:
 * fentry or kprobe on the vfs_* functions libbpf-tools traces, or, where
 * neither exists, the system calls that lead to them (one program on
 * sys_enter, vfssys.bpf.h: a stand-in that counts calls made, not VFS
 * operations done). -p applies here. */
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

/* The syscall stand-in (vfssys.bpf.h): a system call counts in the slot
 * of the function it leads to. */
static __always_inline int vfssys_count(__u32 slot)
{
	return inc(slot);
}

#include "vfssys.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
