//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* syscount: system calls counted in the kernel, by syscall number or by
 * process, with their total latency (-L). Nothing is streamed: user space
 * reads and clears the counts map each interval. With count_errnos
 * (`probebox exporter`) failures are also counted by errno in the errnos
 * map; the exporter reads both maps cumulatively. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "syscount.h"

const volatile __u32 filter_pid = 0;   /* tgid; 0: any */
const volatile __u32 filter_tid = 0;   /* thread (bcc's --tid); 0: any */
const volatile bool failed_only = false;
const volatile __s32 filter_errno = 0; /* count only this -errno */
const volatile bool measure_latency = false;
const volatile bool by_process = false;
const volatile bool count_errnos = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCOUNT_MAX_KEYS);
	__type(key, __u32);
	__type(value, struct syscount_val);
} counts SEC(".maps");

/* count_errnos only: failed syscalls by errno (1-4095). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SYSCOUNT_MAX_ERRNOS);
	__type(key, __u32);
	__type(value, __u64);
} errnos SEC(".maps");

static __always_inline void count_errno(long ret)
{
	__u32 key = (__u32)-ret;
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&errnos, &key);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (update_counted(&errnos, &key, &one, BPF_NOEXIST, SYSCOUNT_FULL_ERRNOS) != -PB_EEXIST)
		return;
	/* Another CPU added the key between the lookup and the update. */
	n = bpf_map_lookup_elem(&errnos, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline bool pid_allowed(__u64 id)
{
	if (filter_pid && (id >> 32) != filter_pid)
		return false;
	if (filter_tid && (__u32)id != filter_tid)
		return false;
	return cgroup_allowed();
}

static __always_inline int enter(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	__u64 ts;

	if (!measure_latency || !pid_allowed(id))
		return 0;
	ts = bpf_ktime_get_ns();
	update_counted(&start, &tid, &ts, BPF_ANY, SYSCOUNT_FULL_START);
	return 0;
}

static __always_inline int exit_(long nr, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id;
	struct syscount_val *val, zero = {};
	__u64 delta = 0, *ts;
	__u32 key;

	if (nr < 0) /* -1: not a syscall (ptrace tricks, seccomp skips) */
		return 0;
	if (!pid_allowed(id))
		return 0;
	if (measure_latency) {
		ts = bpf_map_lookup_elem(&start, &tid);
		if (!ts)
			return 0; /* entered before tracing began */
		delta = bpf_ktime_get_ns() - *ts;
		bpf_map_delete_elem(&start, &tid);
	}
	if (count_errnos && ret < 0 && ret >= -4095)
		count_errno(ret);
	if (failed_only && ret >= 0)
		return 0;
	if (filter_errno && ret != -filter_errno)
		return 0;
	key = by_process ? tgid : (__u32)nr;
	val = bpf_map_lookup_elem(&counts, &key);
	if (!val) {
		if (by_process)
			bpf_get_current_comm(zero.comm, sizeof(zero.comm));
		/* Another CPU may have made the key meanwhile: EEXIST is fine. */
		update_counted(&counts, &key, &zero, BPF_NOEXIST, SYSCOUNT_FULL_DATA);
		val = bpf_map_lookup_elem(&counts, &key);
		if (!val)
			return 0;
	}
	__sync_fetch_and_add(&val->count, 1);
	if (measure_latency)
		__sync_fetch_and_add(&val->total_ns, delta);
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int tp_sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter();
}

SEC("tracepoint/raw_syscalls/sys_exit")
int tp_sys_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_(ctx->id, ctx->ret);
}

/* sys_enter(struct pt_regs *regs, long id) */
SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return enter();
}

/* sys_exit(struct pt_regs *regs, long ret): the number is in the registers. */
SEC("raw_tp/sys_exit")
int raw_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	return exit_(pb_syscall_nr((void *)ctx->args[0]), ctx->args[1]);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
