//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fileslower: synchronous reads and writes slower than a threshold, one
 * event each, as bcc's fileslower. vfs_read/vfs_write by fentry/fexit or
 * kprobe/kretprobe; where neither exists, the read, pread64, write and
 * pwrite64 syscall tracepoints, the file found from the descriptor. -p
 * and the regular-files-only default (-a lifts it) apply at entry, the
 * threshold at exit. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "fdfile.bpf.h"
#include "fileslower.h"

const volatile __u32 targ_pid = 0;            /* -p; 0: every process */
const volatile bool regular_file_only = true; /* without -a */
const volatile __u64 min_lat_ns = 10000000;   /* min_ms, in ns */

const volatile struct fileslower_event *unused_event __attribute__((unused));

struct start {
	__u64 ts;
	__u64 file;
	__u64 size;
	__u32 write;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct start);
} starts SEC(".maps");

static __always_inline int entry(struct file *file, __u64 size, bool write)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct start s = {.file = (__u64)file, .size = size, .write = write};

	if (!file)
		return 0;
	if (targ_pid && (id >> 32) != targ_pid)
		return 0;
	if (regular_file_only && file_type(file) != 'R')
		return 0;
	s.ts = bpf_ktime_get_ns();
	update_counted(&starts, &tid, &s, BPF_ANY, FILESLOWER_FULL_STARTS);
	return 0;
}

static __always_inline int done(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), now;
	__u32 tid = (__u32)id;
	struct start *s = bpf_map_lookup_elem(&starts, &tid);
	struct fileslower_event ev = {};
	struct file *f;

	if (!s)
		return 0;
	now = bpf_ktime_get_ns();
	if (now - s->ts < min_lat_ns)
		goto out;
	ev.ts_ns = now;
	ev.delta_ns = now - s->ts;
	ev.size = s->size;
	ev.pid = id >> 32;
	ev.tid = tid;
	ev.write = s->write;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	f = (struct file *)s->file;
	bpf_probe_read_kernel_str(ev.file, sizeof(ev.file), BPF_CORE_READ(f, f_path.dentry, d_name.name));
	emit(ctx, &ev, sizeof(ev));
out:
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(fentry_read, struct file *file, char *buf, size_t count)
{
	return entry(file, count, false);
}

SEC("fexit/vfs_read")
int BPF_PROG(fexit_read)
{
	return done(ctx);
}

SEC("fentry/vfs_write")
int BPF_PROG(fentry_write, struct file *file, const char *buf, size_t count)
{
	return entry(file, count, true);
}

SEC("fexit/vfs_write")
int BPF_PROG(fexit_write)
{
	return done(ctx);
}

SEC("kprobe/vfs_read")
int kprobe_read(void *ctx)
{
	return entry((struct file *)pb_reg_arg(ctx, 0), pb_reg_arg(ctx, 2), false);
}

SEC("kprobe/vfs_write")
int kprobe_write(void *ctx)
{
	return entry((struct file *)pb_reg_arg(ctx, 0), pb_reg_arg(ctx, 2), true);
}

SEC("kretprobe/vfs_read")
int kretprobe_read(void *ctx)
{
	return done(ctx);
}

SEC("kretprobe/vfs_write")
int kretprobe_write(void *ctx)
{
	return done(ctx);
}

static __always_inline int sys_entry(struct trace_event_raw_sys_enter *ctx, bool write)
{
	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	return entry(fd_file(ctx->args[0]), ctx->args[2], write);
}

SEC("tracepoint/syscalls/sys_enter_read")
int tp_enter_read(struct trace_event_raw_sys_enter *ctx)
{
	return sys_entry(ctx, false);
}

SEC("tracepoint/syscalls/sys_enter_pread64")
int tp_enter_pread64(struct trace_event_raw_sys_enter *ctx)
{
	return sys_entry(ctx, false);
}

SEC("tracepoint/syscalls/sys_enter_write")
int tp_enter_write(struct trace_event_raw_sys_enter *ctx)
{
	return sys_entry(ctx, true);
}

SEC("tracepoint/syscalls/sys_enter_pwrite64")
int tp_enter_pwrite64(struct trace_event_raw_sys_enter *ctx)
{
	return sys_entry(ctx, true);
}

SEC("tracepoint/syscalls/sys_exit_read")
int tp_exit_read(void *ctx)
{
	return done(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pread64")
int tp_exit_pread64(void *ctx)
{
	return done(ctx);
}

SEC("tracepoint/syscalls/sys_exit_write")
int tp_exit_write(void *ctx)
{
	return done(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pwrite64")
int tp_exit_pwrite64(void *ctx)
{
	return done(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
