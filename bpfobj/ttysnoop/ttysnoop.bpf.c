//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* ttysnoop: what is written to one terminal. Where the kernel offers
 * fentry or kprobes, tty_write(struct kiocb *, struct iov_iter *) (Linux
 * 5.11+), as libbpf-tools hooks it: every write to the terminal, whatever
 * system call made it. Elsewhere a stand-in takes write() and writev() at
 * their syscall tracepoints and keeps those whose file descriptor is the
 * watched terminal (same device number, and for a pts the same devpts
 * instance). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "fdfile.bpf.h"
#include "regs.bpf.h"
#include "ttysnoop.h"

const volatile __u32 tty_rdev = 0;   /* kernel dev_t: major << 20 | minor */
const volatile __u32 tty_sdev = 0;   /* devpts instance's s_dev; 0: any */
const volatile __u32 max_chunks = 16; /* -c: TTY_CHUNK-byte events per write */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tty_event);
} scratch SEC(".maps");

static __always_inline bool is_watched_file(struct file *f)
{
	struct inode *ino;

	if (!f)
		return false;
	ino = BPF_CORE_READ(f, f_inode);
	if (BPF_CORE_READ(ino, i_rdev) != tty_rdev)
		return false;
	return !tty_sdev || BPF_CORE_READ(ino, i_sb, s_dev) == tty_sdev;
}

static __always_inline bool is_watched(__u64 fd)
{
	return is_watched_file(fd_file(fd));
}

/* send emits buf[0:count] in TTY_CHUNK-byte events, at most chunks of
 * them; it returns false when the data could not be read. */
static __always_inline bool send(void *ctx, struct tty_event *e, const char *buf, __u64 count, __u32 chunks)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	int i;

	for (i = 0; i < TTY_MAX_CHUNKS; i++) {
		__u64 n;

		if (i >= chunks || count == 0)
			break;
		n = count > TTY_CHUNK ? TTY_CHUNK : count;
		/* A constant size, which every verifier accepts (6.1's lost
		 * the bounds of a clamped length); only n bytes are shown.
		 * Where the buffer ends just before unmapped memory, read
		 * exactly the short last piece, its length masked. */
		if (bpf_probe_read_user(e->data, TTY_CHUNK, buf) &&
		    (n >= TTY_CHUNK || bpf_probe_read_user(e->data, n & (TTY_CHUNK - 1), buf)))
			return false;
		e->ts_ns = bpf_ktime_get_ns();
		e->pid = pid;
		e->len = n;
		e->cgroup_id = bpf_get_current_cgroup_id();
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		emit(ctx, e, sizeof(*e));
		buf += n;
		count -= n;
	}
	return true;
}

static __always_inline struct tty_event *scratch_event(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/* sys_enter_write and sys_enter_writev: the arguments after the common
 * fields and the syscall number. */
struct sys_enter_args {
	__u64 pad;
	long nr;
	__u64 args[6];
};

SEC("tracepoint/syscalls/sys_enter_write")
int tp_sys_enter_write(struct sys_enter_args *ctx)
{
	struct tty_event *e;

	if (!is_watched(ctx->args[0]) || !cgroup_allowed())
		return 0;
	e = scratch_event();

	if (e)
		send(ctx, e, (const char *)ctx->args[1], ctx->args[2], max_chunks);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_writev")
int tp_sys_enter_writev(struct sys_enter_args *ctx)
{
	const struct iovec *iov = (const struct iovec *)ctx->args[1];
	__u64 iovcnt = ctx->args[2];
	struct tty_event *e;
	int i;

	if (!is_watched(ctx->args[0]) || !cgroup_allowed())
		return 0;
	e = scratch_event();
	if (!e)
		return 0;
	/* One chunk per iovec: a loop of chunks inside a loop of iovecs
	 * is more than the verifier will follow. */
	for (i = 0; i < TTY_MAX_IOV; i++) {
		struct iovec v;

		if (i >= iovcnt || bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			break;
		if (!send(ctx, e, v.iov_base, v.iov_len, 1))
			break;
	}
	return 0;
}

/* iov_iter's iovec array was "iov" until Linux 6.4 renamed it "__iov". */
struct iov_iter___old {
	const struct iovec *iov;
} __attribute__((preserve_access_index));

/* tty_write_iter: the data of one tty_write(). write() gives a user
 * buffer (ITER_UBUF, 6.0+) or a one-element iovec (ITER_IOVEC, before);
 * writev() an iovec array, of which the first TTY_MAX_IOV buffers are
 * shown, one chunk each. */
static __always_inline int tty_write_iter(void *ctx, struct kiocb *iocb, struct iov_iter *from)
{
	const struct iovec *iov;
	struct tty_event *e;
	__u64 count, offset;
	__u8 type;
	int i;

	if (!is_watched_file(BPF_CORE_READ(iocb, ki_filp)) || !cgroup_allowed())
		return 0;
	e = scratch_event();
	if (!e)
		return 0;
	type = BPF_CORE_READ(from, iter_type);
	count = BPF_CORE_READ(from, count);
	offset = BPF_CORE_READ(from, iov_offset);
	if (bpf_core_enum_value_exists(enum iter_type, ITER_UBUF) &&
	    type == bpf_core_enum_value(enum iter_type, ITER_UBUF)) {
		send(ctx, e, (const char *)BPF_CORE_READ(from, ubuf) + offset, count, max_chunks);
		return 0;
	}
	if (type != bpf_core_enum_value(enum iter_type, ITER_IOVEC))
		return 0; /* kernel buffers (kvec: console output) */
	if (bpf_core_field_exists(from->__iov))
		iov = BPF_CORE_READ(from, __iov);
	else
		iov = BPF_CORE_READ((struct iov_iter___old *)from, iov);
	for (i = 0; i < TTY_MAX_IOV && count > 0; i++) {
		struct iovec v;
		__u64 n;

		if (bpf_probe_read_kernel(&v, sizeof(v), &iov[i]))
			break;
		n = v.iov_len - offset;
		if (n > count)
			n = count;
		if (!send(ctx, e, (const char *)v.iov_base + offset, n, i == 0 && n == count ? max_chunks : 1))
			break;
		count -= n;
		offset = 0;
	}
	return 0;
}

SEC("fentry/tty_write")
int BPF_PROG(fentry_tty_write, struct kiocb *iocb, struct iov_iter *from)
{
	return tty_write_iter(ctx, iocb, from);
}

SEC("kprobe/tty_write")
int kprobe_tty_write(struct pt_regs *ctx)
{
	return tty_write_iter(ctx, (struct kiocb *)pb_reg_arg(ctx, 0), (struct iov_iter *)pb_reg_arg(ctx, 1));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
