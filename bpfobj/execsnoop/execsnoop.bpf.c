//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* execsnoop: exec() calls with their arguments and result.
 *
 * Preferred hooks are the execve/execveat syscall tracepoints: they see
 * failed calls too. Where those are missing, sched_process_exec (tp_btf or
 * raw tracepoint) reports successful execs, reading argv from the new mm. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "execsnoop.h"
#include "tally.bpf.h"
#include "stash.bpf.h"

#define EVENT_HEADER_SIZE (sizeof(struct exec_event) - EXECSNOOP_ARGS_BYTES)

const volatile __u32 filter_uid = (__u32)-1; /* -1: any */
const volatile __s32 filter_ppid = 0;        /* 0: any */
const volatile bool include_failed = false;
const volatile int max_args = EXECSNOOP_DEFAULT_ARGS;

/* Events under construction, from syscall entry to exit, per thread
 * (stash.bpf.h): in task storage, which also follows a thread whose exec
 * makes it the leader (its id changes), or in a hash by thread id. The
 * hash is not preallocated: 10240 events of 7.7 KB would be 79 MB of
 * kernel memory allocated (and 100 ms spent) at start-up for what is
 * mostly a handful of execs in flight; an exec is rare enough to allocate
 * its entry. Either way the entry is freed at exit (execs_free): a task
 * would otherwise keep its 7.7 KB for life. */
PB_STASH(execs, struct exec_event, 10240, PB_STASH_NO_PREALLOC);

/* Scratch space for the sched_process_exec path, too big for the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_event);
} scratch SEC(".maps");

static __always_inline bool task_allowed(struct task_struct *task, __u32 uid)
{
	if (filter_uid != (__u32)-1 && uid != filter_uid)
		return false;
	if (filter_ppid && BPF_CORE_READ(task, real_parent, tgid) != filter_ppid)
		return false;
	return cgroup_allowed();
}

static __always_inline void fill_task(struct exec_event *e, struct task_struct *task, __u32 uid)
{
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = uid;
}

static __always_inline int exec_enter(const char *filename, const char *const *argv)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_event *e;
	const char *argp;
	long n;
	int i;

	/* Tally mode counts at exit, from the result alone. */
	if (tally_mode)
		return 0;
	if (!task_allowed(task, uid))
		return 0;
	e = execs_start(tid);
	if (!e)
		return 0;
	fill_task(e, task, uid);

	n = bpf_probe_read_user_str(e->args, EXECSNOOP_ARGSIZE, filename);
	if (n < 0)
		n = 1; /* unreadable name: keep an empty string */
	e->args_size = n;
	e->args_count = 1;

	for (i = 1; i < EXECSNOOP_MAX_ARGS && i < max_args; i++) {
		if (bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) || !argp)
			return 0;
		if (e->args_size > EXECSNOOP_LAST_ARG)
			return 0;
		n = bpf_probe_read_user_str(&e->args[e->args_size], EXECSNOOP_ARGSIZE, argp);
		if (n < 0)
			return 0;
		e->args_count++;
		e->args_size += n;
	}
	/* One more non-NULL pointer means the list was cut: user space adds " ...". */
	if (!bpf_probe_read_user(&argp, sizeof(argp), &argv[i]) && argp)
		e->args_count++;
	return 0;
}

static __always_inline int exec_exit(void *ctx, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_event *e;
	__u32 size;

	/* Tally mode (the exporter): count by result, without filters. */
	if (tally_mode) {
		tally(ret < 0 ? EXECSNOOP_TALLY_FAILED : EXECSNOOP_TALLY_OK, 0, 0, 0);
		return 0;
	}

	e = execs_find(tid);
	if (!e)
		return 0;
	if (ret < 0 && !include_failed)
		goto out;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	if (!comm_allowed(e->comm))
		goto out;
	e->retval = ret;
	e->ts_ns = bpf_ktime_get_ns();
	size = e->args_size;
	if (size > EXECSNOOP_ARGS_BYTES)
		size = EXECSNOOP_ARGS_BYTES;
	emit(ctx, e, EVENT_HEADER_SIZE + size);
out:
	execs_free(tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int tp_enter_execve(struct trace_event_raw_sys_enter *ctx)
{
	return exec_enter((const char *)ctx->args[0], (const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int tp_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return exec_exit(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int tp_enter_execveat(struct trace_event_raw_sys_enter *ctx)
{
	return exec_enter((const char *)ctx->args[1], (const char *const *)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int tp_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return exec_exit(ctx, ctx->ret);
}

/* sched_process_exec runs after the new image is in place: comm and mm are
 * the new program's, so argv is read from mm->arg_start. */
static __always_inline int exec_done(void *ctx, struct task_struct *task, struct linux_binprm *bprm)
{
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	__u32 zero = 0;
	struct exec_event *e;
	unsigned long arg, arg_end;
	int i, argc, count;
	__u32 used;
	long n;

	if (tally_mode) {
		tally(EXECSNOOP_TALLY_OK, 0, 0, 0);
		return 0;
	}
	if (!task_allowed(task, uid))
		return 0;
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	if (!comm_allowed(e->comm))
		return 0;
	fill_task(e, task, uid);
	e->retval = 0;
	e->ts_ns = bpf_ktime_get_ns();

	n = bpf_probe_read_kernel_str(e->args, EXECSNOOP_ARGSIZE, BPF_CORE_READ(bprm, filename));
	if (n <= 0 || n > EXECSNOOP_ARGSIZE) {
		e->args[0] = 0;
		n = 1;
	}
	/* A local running size keeps the verifier's bounds; e->args_size
	 * would be reloaded from memory after every helper call. */
	used = n;
	count = 1;

	arg = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	argc = BPF_CORE_READ(bprm, argc);
	/* Skip argv[0]; the filename stands in for it, as on the syscall path. */
	n = bpf_probe_read_user_str(&e->args[used], EXECSNOOP_ARGSIZE, (void *)arg);
	if (n > 0 && n < EXECSNOOP_ARGSIZE)
		arg += n;
	else
		arg = arg_end;
	for (i = 1; i < EXECSNOOP_MAX_ARGS && i < max_args && i < argc; i++) {
		if (arg >= arg_end || used > EXECSNOOP_LAST_ARG)
			break;
		n = bpf_probe_read_user_str(&e->args[used], EXECSNOOP_ARGSIZE, (void *)arg);
		if (n <= 0 || n > EXECSNOOP_ARGSIZE)
			break;
		count++;
		used += n;
		if (n == EXECSNOOP_ARGSIZE)
			break; /* cut short: the next argument's start is unknown */
		arg += n;
	}
	if (argc > count)
		count++;
	e->args_count = count;
	e->args_size = used;
	if (used > EXECSNOOP_ARGS_BYTES)
		used = EXECSNOOP_ARGS_BYTES;
	emit(ctx, e, EVENT_HEADER_SIZE + used);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(btf_sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return exec_done(ctx, p, bprm);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return exec_done(ctx, p, bprm);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
