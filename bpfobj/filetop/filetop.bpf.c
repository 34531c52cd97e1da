//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* filetop: reads and writes per file and thread, summed in the entries
 * map that user space copies out and clears at each interval, as
 * libbpf-tools' filetop does from vfs_read/vfs_write. Where neither fentry
 * nor kprobes exist, read/pread64/write/pwrite64 syscall tracepoints, the
 * file found from the descriptor, stand in. -p and the regular-files-only
 * default (-a lifts it) apply here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "fdfile.bpf.h"
#include "filetop.h"

const volatile __u32 targ_pid = 0;             /* -p; 0: every process */
const volatile bool regular_file_only = true;  /* without -a */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct filetop_key);
	__type(value, struct filetop_val);
} entries SEC(".maps");

/* A new entry is built here: too big for the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct filetop_val);
} scratch SEC(".maps");

static __always_inline int on_rw(struct file *file, __u64 count, bool write)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct filetop_key key = {};
	struct filetop_val *v;
	struct inode *inode;
	__u32 zero = 0;
	char type;

	if (!file)
		return 0;
	if (targ_pid && (id >> 32) != targ_pid)
		return 0;
	type = file_type(file);
	if (regular_file_only && type != 'R')
		return 0;
	inode = BPF_CORE_READ(file, f_inode);
	key.inode = BPF_CORE_READ(inode, i_ino);
	key.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	key.rdev = BPF_CORE_READ(inode, i_rdev);
	key.pid = id >> 32;
	key.tid = (__u32)id;
	v = bpf_map_lookup_elem(&entries, &key);
	if (!v) {
		struct filetop_val *n = bpf_map_lookup_elem(&scratch, &zero);
		const unsigned char *name;

		if (!n)
			return 0;
		__builtin_memset(n, 0, sizeof(*n));
		bpf_get_current_comm(n->comm, sizeof(n->comm));
		name = BPF_CORE_READ(file, f_path.dentry, d_name.name);
		bpf_probe_read_kernel_str(n->filename, sizeof(n->filename), name);
		n->type = type;
		update_counted(&entries, &key, n, BPF_NOEXIST, FILETOP_FULL_ENTRIES);
		v = bpf_map_lookup_elem(&entries, &key);
		if (!v)
			return 0;
	}
	if (write) {
		__sync_fetch_and_add(&v->writes, 1);
		__sync_fetch_and_add(&v->write_bytes, count);
	} else {
		__sync_fetch_and_add(&v->reads, 1);
		__sync_fetch_and_add(&v->read_bytes, count);
	}
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(fentry_read, struct file *file, char *buf, size_t count)
{
	return on_rw(file, count, false);
}

SEC("fentry/vfs_write")
int BPF_PROG(fentry_write, struct file *file, const char *buf, size_t count)
{
	return on_rw(file, count, true);
}

SEC("kprobe/vfs_read")
int kprobe_read(struct pt_regs *ctx)
{
	return on_rw((struct file *)pb_reg_arg(ctx, 0), pb_reg_arg(ctx, 2), false);
}

SEC("kprobe/vfs_write")
int kprobe_write(struct pt_regs *ctx)
{
	return on_rw((struct file *)pb_reg_arg(ctx, 0), pb_reg_arg(ctx, 2), true);
}

/* Stand-in: read(fd, buf, count) and friends. */
static __always_inline int sys_rw(struct trace_event_raw_sys_enter *ctx, bool write)
{
	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	return on_rw(fd_file(ctx->args[0]), ctx->args[2], write);
}

SEC("tracepoint/syscalls/sys_enter_read")
int tp_read(struct trace_event_raw_sys_enter *ctx)
{
	return sys_rw(ctx, false);
}

SEC("tracepoint/syscalls/sys_enter_pread64")
int tp_pread64(struct trace_event_raw_sys_enter *ctx)
{
	return sys_rw(ctx, false);
}

SEC("tracepoint/syscalls/sys_enter_write")
int tp_write(struct trace_event_raw_sys_enter *ctx)
{
	return sys_rw(ctx, true);
}

SEC("tracepoint/syscalls/sys_enter_pwrite64")
int tp_pwrite64(struct trace_event_raw_sys_enter *ctx)
{
	return sys_rw(ctx, true);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
