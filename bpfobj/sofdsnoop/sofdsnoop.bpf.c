//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sofdsnoop: file descriptors passed over sockets (SCM_RIGHTS control
 * messages of sendmsg and recvmsg), one event per descriptor.
 *
 * Hooks: the sendmsg and recvmsg syscall tracepoints. The entry stashes
 * the socket fd and the user's struct msghdr per thread; the exit, when
 * the call succeeded, reads the control messages from user memory (for
 * recvmsg the kernel has written the received ones there and set
 * msg_controllen to their length) and reports each descriptor with the
 * file behind it in the calling task's table (for recvmsg, the new
 * descriptor the kernel installed). sendmmsg/recvmmsg are not seen.
 * Pending calls live in a plain hash whose refused inserts are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "fdfile.bpf.h"
#include "stash.bpf.h"
#include "sofdsnoop.h"

#define PBX_SOL_SOCKET 1
#define PBX_SCM_RIGHTS 1
#define MAX_CMSGS 4	 /* control messages looked at per call */
#define MAX_FDS 32	 /* descriptors reported per control message */
#define CMSG_HDR_LEN 16	 /* struct cmsghdr on 64-bit: len (8), level, type */

const volatile __u32 filter_pid = 0; /* tgid; 0: any */
const volatile __u32 filter_tid = 0; /* 0: any */

/* The call's arguments from entry to exit, per thread (stash.bpf.h). */
PB_STASH(pending, struct sofdsnoop_args, 4096, 0);

/* per-CPU scratch for the event (too big for the stack with the loop) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sofdsnoop_event);
} scratch SEC(".maps");

const struct sofdsnoop_event *unused_event __attribute__((unused));

static __always_inline bool task_allowed(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	char comm[TASK_COMM_LEN];

	if (filter_pid && (id >> 32) != filter_pid)
		return false;
	if (filter_tid && (__u32)id != filter_tid)
		return false;
	if (!cgroup_allowed())
		return false;
	if (filter_comm_len > 0) {
		bpf_get_current_comm(comm, sizeof(comm));
		if (!comm_allowed(comm))
			return false;
	}
	return true;
}

static __always_inline int enter(struct trace_event_raw_sys_enter *ctx, __u32 action)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sofdsnoop_args *a;

	if (!task_allowed())
		return 0;
	a = pending_start(tid);
	if (!a) {
		count_full(SOFDSNOOP_FULL_PENDING);
		return 0;
	}
	a->sock_fd = (int)BPF_CORE_READ(ctx, args[0]);
	a->msg = BPF_CORE_READ(ctx, args[1]);
	a->action = action;
	return 0;
}

/* describe fills the file fields of e from the current task's fd. */
static __always_inline void describe(struct sofdsnoop_event *e, int fd)
{
	struct file *f = fd_file(fd);

	e->fd = fd;
	e->fd_mode = 0;
	e->fd_ino = 0;
	e->name[0] = 0;
	if (!f)
		return;
	e->fd_mode = BPF_CORE_READ(f, f_inode, i_mode);
	e->fd_ino = BPF_CORE_READ(f, f_inode, i_ino);
	bpf_probe_read_kernel_str(e->name, sizeof(e->name), BPF_CORE_READ(f, f_path.dentry, d_name.name));
}

static __always_inline int report_cmsg(void *ctx, struct sofdsnoop_event *e, const __u8 *data, __u32 n)
{
	__u32 i;
	int fd;

	e->total = n;
	for (i = 0; i < MAX_FDS; i++) {
		if (i >= n)
			break;
		if (bpf_probe_read_user(&fd, sizeof(fd), data + 4 * i))
			break;
		e->index = i;
		describe(e, fd);
		emit(ctx, e, sizeof(*e));
	}
	return 0;
}

static __always_inline int leave(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, zero = 0, i;
	struct sofdsnoop_args *p, a;
	struct sofdsnoop_event *e;
	struct user_msghdr mh;
	const __u8 *control;
	__u64 len, off = 0;
	struct file *sf;

	p = pending_find(tid);
	if (!p)
		return 0;
	a = *p;
	pending_done(tid, p);
	if (BPF_CORE_READ(ctx, ret) < 0)
		return 0;
	if (bpf_probe_read_user(&mh, sizeof(mh), (const void *)a.msg))
		return 0;
	control = mh.msg_control;
	len = mh.msg_controllen;
	if (!control || len < CMSG_HDR_LEN)
		return 0;
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = tid;
	e->action = a.action;
	e->sock_fd = a.sock_fd;
	sf = fd_file(a.sock_fd);
	e->sock_ino = sf ? BPF_CORE_READ(sf, f_inode, i_ino) : 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	for (i = 0; i < MAX_CMSGS; i++) {
		struct {
			__u64 len;
			__s32 level;
			__s32 type;
		} h;

		if (off + CMSG_HDR_LEN > len)
			break;
		if (bpf_probe_read_user(&h, sizeof(h), control + off))
			break;
		if (h.len < CMSG_HDR_LEN || off + h.len > len)
			break;
		if (h.level == PBX_SOL_SOCKET && h.type == PBX_SCM_RIGHTS)
			report_cmsg(ctx, e, control + off + CMSG_HDR_LEN, (h.len - CMSG_HDR_LEN) / 4);
		off += (h.len + 7) & ~7ULL; /* CMSG_ALIGN */
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int tp_enter_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx, SOFDSNOOP_SEND);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int tp_exit_sendmsg(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx);
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int tp_enter_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx, SOFDSNOOP_RECV);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int tp_exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
