/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What fsdist and fsslower share: the file system operations they time
 * and the entry time of each thread's operation in flight. Their fentry
 * and fexit programs are attached to the chosen file system's functions
 * by user space (the programs' attach targets are set before load).
 * Include after vmlinux.h and mapfull.bpf.h; define FSOPS_FULL_SLOT (the
 * map_full slot counting refused entries) first. */
#ifndef PROBEBOX_FSOPS_BPF_H
#define PROBEBOX_FSOPS_BPF_H

#ifndef FSOPS_FULL_SLOT
#error "define FSOPS_FULL_SLOT before including fsops.bpf.h"
#endif

enum fs_op {
	FS_OP_READ,
	FS_OP_WRITE,
	FS_OP_OPEN,
	FS_OP_FSYNC,
	FS_OP_GETATTR,
	FS_OP_MAX,
};

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct fs_start {
	__u64 ts;
	__u64 file; /* struct file * (fsslower), else 0 */
	__s64 pos;  /* offset of a read or write */
};

/* Per thread: an operation does not nest in another of the same file
 * system on one thread (a stacked file system would overwrite it). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct fs_start);
} fs_starts SEC(".maps");

static __always_inline int fs_entry(struct file *file, __s64 pos)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct fs_start s = {.file = (__u64)file, .pos = pos};

	if (targ_pid && (id >> 32) != targ_pid)
		return 0;
	s.ts = bpf_ktime_get_ns();
	update_counted(&fs_starts, &tid, &s, BPF_ANY, FSOPS_FULL_SLOT);
	return 0;
}

/* fs_exit returns the operation's start (copied) and forgets it; false
 * when its entry was not seen. */
static __always_inline bool fs_exit(struct fs_start *out)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct fs_start *s = bpf_map_lookup_elem(&fs_starts, &tid);

	if (!s)
		return false;
	*out = *s;
	bpf_map_delete_elem(&fs_starts, &tid);
	return true;
}

#endif
