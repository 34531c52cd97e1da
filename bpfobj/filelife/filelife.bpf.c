//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* filelife: files created and then deleted, with their age.
 *
 * There is no tracepoint on file creation or deletion, so this works from
 * system calls: an open/openat/openat2/creat that returns a descriptor
 * whose file the call created (FMODE_CREATED) records the time under two
 * names: the path as given, relative to the directory it was resolved
 * from, and the file's own name in its parent directory. An
 * unlink/unlinkat that succeeds on a path found under either name reports
 * the age. A file deleted by another path than those two (say, created as
 * "x" and deleted as "../d/x"), renamed, or created some other way
 * (mknod, link) is not seen. -p applies to the creating process. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "fdfile.bpf.h"
#include "filelife.h"

const volatile __u32 targ_pid = 0; /* -p: the creating process */

const volatile struct filelife_event *unused_event __attribute__((unused));

#define PB_O_CREAT 0100
#define PB_AT_FDCWD -100
#define PB_FMODE_CREATED 0x100000

/* A name: a path string relative to a directory (0 for an absolute
 * path). */
struct fl_key {
	__u64 dir_ino;
	__u32 dir_dev;
	__u32 pad;
	char name[FILELIFE_NAME_LEN];
};

struct fl_birth {
	__u64 ts;
	struct fl_key names[2]; /* the path as given; the file's own name */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct fl_key);
	__type(value, struct fl_birth);
} births SEC(".maps");

/* From a syscall's entry to its exit, per thread. */
struct open_args {
	__s64 dfd;
	__u64 path; /* user pointer */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct open_args);
} opens SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct fl_birth);
} unlinks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fl_birth);
} scratch SEC(".maps");

/* The directory a path is resolved from: the working directory or dfd's;
 * none for an absolute path. */
static __always_inline void path_key(struct fl_key *k, __s64 dfd, const char *path)
{
	struct inode *dir = NULL;

	bpf_probe_read_user_str(k->name, sizeof(k->name), path);
	if (k->name[0] == '/')
		return;
	if ((int)dfd == PB_AT_FDCWD) {
		struct task_struct *task = (void *)bpf_get_current_task();

		dir = BPF_CORE_READ(task, fs, pwd.dentry, d_inode);
	} else {
		struct file *f = fd_file((int)dfd);

		if (f)
			dir = BPF_CORE_READ(f, f_inode);
	}
	if (!dir)
		return;
	k->dir_ino = BPF_CORE_READ(dir, i_ino);
	k->dir_dev = BPF_CORE_READ(dir, i_sb, s_dev);
}

static __always_inline int open_enter(__s64 dfd, const char *path, __u64 flags)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_args a = {.dfd = dfd, .path = (__u64)path};

	if (!(flags & PB_O_CREAT))
		return 0;
	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	update_counted(&opens, &tid, &a, BPF_ANY, FILELIFE_FULL_BIRTHS);
	return 0;
}

static __always_inline int open_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct open_args *a = bpf_map_lookup_elem(&opens, &tid);
	struct fl_birth *b;
	struct dentry *d;
	struct file *f;

	if (!a)
		return 0;
	if (ret < 0)
		goto out;
	f = fd_file(ret);
	if (!f || !(BPF_CORE_READ(f, f_mode) & PB_FMODE_CREATED))
		goto out;
	b = bpf_map_lookup_elem(&scratch, &zero);
	if (!b)
		goto out;
	__builtin_memset(b, 0, sizeof(*b));
	b->ts = bpf_ktime_get_ns();
	path_key(&b->names[0], a->dfd, (const char *)a->path);
	d = BPF_CORE_READ(f, f_path.dentry);
	b->names[1].dir_ino = BPF_CORE_READ(d, d_parent, d_inode, i_ino);
	b->names[1].dir_dev = BPF_CORE_READ(d, d_parent, d_inode, i_sb, s_dev);
	bpf_probe_read_kernel_str(b->names[1].name, sizeof(b->names[1].name), BPF_CORE_READ(d, d_name.name));
	update_counted(&births, &b->names[0], b, BPF_ANY, FILELIFE_FULL_BIRTHS);
	update_counted(&births, &b->names[1], b, BPF_ANY, FILELIFE_FULL_BIRTHS);
out:
	bpf_map_delete_elem(&opens, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int tp_enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter(PB_AT_FDCWD, (const char *)ctx->args[0], ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int tp_enter_creat(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter(PB_AT_FDCWD, (const char *)ctx->args[0], PB_O_CREAT);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return open_enter(ctx->args[0], (const char *)ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int tp_enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]);
	return open_enter(ctx->args[0], (const char *)ctx->args[1], how.flags);
}

SEC("tracepoint/syscalls/sys_exit_open")
int tp_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_creat")
int tp_exit_creat(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tp_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int tp_exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

static __always_inline int unlink_enter(__s64 dfd, const char *path)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct fl_birth *b, *s = bpf_map_lookup_elem(&scratch, &zero);

	if (!s)
		return 0;
	__builtin_memset(s, 0, sizeof(*s));
	path_key(&s->names[0], dfd, path);
	b = bpf_map_lookup_elem(&births, &s->names[0]);
	if (b)
		update_counted(&unlinks, &tid, b, BPF_ANY, FILELIFE_FULL_BIRTHS);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_unlink")
int tp_enter_unlink(struct trace_event_raw_sys_enter *ctx)
{
	return unlink_enter(PB_AT_FDCWD, (const char *)ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int tp_enter_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	return unlink_enter(ctx->args[0], (const char *)ctx->args[1]);
}

static __always_inline int unlink_exit(void *ctx, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct fl_birth *b = bpf_map_lookup_elem(&unlinks, &tid);
	struct filelife_event ev = {};

	if (!b)
		return 0;
	if (ret == 0) {
		ev.age_ns = bpf_ktime_get_ns() - b->ts;
		ev.pid = id >> 32;
		ev.tid = tid;
		bpf_get_current_comm(ev.comm, sizeof(ev.comm));
		__builtin_memcpy(ev.file, b->names[1].name, sizeof(ev.file));
		emit(ctx, &ev, sizeof(ev));
		bpf_map_delete_elem(&births, &b->names[0]);
		bpf_map_delete_elem(&births, &b->names[1]);
	}
	bpf_map_delete_elem(&unlinks, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_unlink")
int tp_exit_unlink(struct trace_event_raw_sys_exit *ctx)
{
	return unlink_exit(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_unlinkat")
int tp_exit_unlinkat(struct trace_event_raw_sys_exit *ctx)
{
	return unlink_exit(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
