//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fsslower: a file system's reads, writes, opens and fsyncs slower than a
 * threshold, one event each. fentry/fexit pairs, else kprobe/kretprobe
 * pairs, on the file system's functions (user space sets the fentry
 * targets). -p applies at entry; the threshold at exit. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "fsslower.h"
#define FSOPS_FULL_SLOT FSSLOWER_FULL_STARTS
#include "fsops.bpf.h"

const volatile __u64 min_lat_ns = 10000000; /* -m, in ns */

const volatile struct fsslower_event *unused_event __attribute__((unused));

static __always_inline int iter_entry(struct kiocb *iocb)
{
	return fs_entry(BPF_CORE_READ(iocb, ki_filp), BPF_CORE_READ(iocb, ki_pos));
}

static __always_inline int done(void *ctx, __u32 op, __s64 size)
{
	struct fsslower_event ev = {};
	struct fs_start s;
	struct file *f;
	__u64 now;

	if (!fs_exit(&s))
		return 0;
	now = bpf_ktime_get_ns();
	if (now - s.ts < min_lat_ns)
		return 0;
	ev.end_ns = now;
	ev.delta_ns = now - s.ts;
	ev.offset = s.pos;
	ev.size = size;
	ev.pid = bpf_get_current_pid_tgid() >> 32;
	ev.op = op;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	f = (struct file *)s.file;
	if (f)
		bpf_probe_read_kernel_str(ev.file, sizeof(ev.file), BPF_CORE_READ(f, f_path.dentry, d_name.name));
	emit(ctx, &ev, sizeof(ev));
	return 0;
}

SEC("fentry")
int BPF_PROG(fentry_read, struct kiocb *iocb)
{
	return iter_entry(iocb);
}

SEC("fexit")
int BPF_PROG(fexit_read, struct kiocb *iocb, struct iov_iter *to, long ret)
{
	return done(ctx, FS_OP_READ, ret);
}

SEC("fentry")
int BPF_PROG(fentry_write, struct kiocb *iocb)
{
	return iter_entry(iocb);
}

SEC("fexit")
int BPF_PROG(fexit_write, struct kiocb *iocb, struct iov_iter *from, long ret)
{
	return done(ctx, FS_OP_WRITE, ret);
}

SEC("fentry")
int BPF_PROG(fentry_open, struct inode *inode, struct file *file)
{
	return fs_entry(file, 0);
}

SEC("fexit")
int BPF_PROG(fexit_open)
{
	return done(ctx, FS_OP_OPEN, 0);
}

SEC("fentry")
int BPF_PROG(fentry_fsync, struct file *file, loff_t start, loff_t end)
{
	return fs_entry(file, start);
}

SEC("fexit")
int BPF_PROG(fexit_fsync, struct file *file, loff_t start, loff_t end)
{
	return done(ctx, FS_OP_FSYNC, end - start);
}

SEC("kprobe")
int kprobe_read(void *ctx)
{
	return iter_entry((struct kiocb *)pb_reg_arg(ctx, 0));
}

SEC("kretprobe")
int kretprobe_read(void *ctx)
{
	return done(ctx, FS_OP_READ, (long)pb_reg_ret(ctx));
}

SEC("kprobe")
int kprobe_write(void *ctx)
{
	return iter_entry((struct kiocb *)pb_reg_arg(ctx, 0));
}

SEC("kretprobe")
int kretprobe_write(void *ctx)
{
	return done(ctx, FS_OP_WRITE, (long)pb_reg_ret(ctx));
}

SEC("kprobe")
int kprobe_open(void *ctx)
{
	return fs_entry((struct file *)pb_reg_arg(ctx, 1), 0);
}

SEC("kretprobe")
int kretprobe_open(void *ctx)
{
	return done(ctx, FS_OP_OPEN, 0);
}

/* The range's end is not known at return: fsync shows the offset only. */
SEC("kprobe")
int kprobe_fsync(void *ctx)
{
	return fs_entry((struct file *)pb_reg_arg(ctx, 0), pb_reg_arg(ctx, 1));
}

SEC("kretprobe")
int kretprobe_fsync(void *ctx)
{
	return done(ctx, FS_OP_FSYNC, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
