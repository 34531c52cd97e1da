//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* syncsnoop: one event per call of the sync family, at the syscall entry
 * tracepoints (the same hooks libbpf-tools uses). -p applies here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "probebox.bpf.h"
#include "syncsnoop.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

/* Keeps the event type in BTF for bpf2go. */
const volatile struct sync_event *unused_event __attribute__((unused));

static __always_inline int on_sync(void *ctx, __u32 sys)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sync_event ev = {};

	if (targ_pid && (id >> 32) != targ_pid)
		return 0;
	ev.ts_ns = bpf_ktime_get_ns();
	ev.pid = id >> 32;
	ev.tid = (__u32)id;
	ev.sys = sys;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	emit(ctx, &ev, sizeof(ev));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sync")
int tp_sync(void *ctx)
{
	return on_sync(ctx, SYNC_SYS_SYNC);
}

SEC("tracepoint/syscalls/sys_enter_fsync")
int tp_fsync(void *ctx)
{
	return on_sync(ctx, SYNC_SYS_FSYNC);
}

SEC("tracepoint/syscalls/sys_enter_fdatasync")
int tp_fdatasync(void *ctx)
{
	return on_sync(ctx, SYNC_SYS_FDATASYNC);
}

SEC("tracepoint/syscalls/sys_enter_msync")
int tp_msync(void *ctx)
{
	return on_sync(ctx, SYNC_SYS_MSYNC);
}

SEC("tracepoint/syscalls/sys_enter_sync_file_range")
int tp_sync_file_range(void *ctx)
{
	return on_sync(ctx, SYNC_SYS_SYNC_FILE_RANGE);
}

SEC("tracepoint/syscalls/sys_enter_syncfs")
int tp_syncfs(void *ctx)
{
	return on_sync(ctx, SYNC_SYS_SYNCFS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
