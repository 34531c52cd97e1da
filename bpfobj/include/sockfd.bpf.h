/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Socket syscalls seen from their tracepoints (solisten, bindsnoop): the
 * arguments stashed per thread at sys_enter_*, and the struct socket an
 * fd names, found at sys_exit_* through the task's file table. Also a
 * kprobe's second and third arguments on x86 and arm64 (tcpsock.bpf.h has
 * the first and the return value). */
#ifndef PROBEBOX_SOCKFD_BPF_H
#define PROBEBOX_SOCKFD_BPF_H

#include <bpf/bpf_core_read.h>
#include "tcpsock.bpf.h"

/* fd_socket is the socket fd names in the current task, or NULL when fd
 * is out of the table's range. The caller knows fd is a socket because
 * the socket call on it succeeded (or checks the socket's fields). */
static __always_inline struct socket *fd_socket(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *file = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_core_read(&file, sizeof(file), &fds[fd]);
	if (!file)
		return NULL;
	return BPF_CORE_READ(file, private_data);
}

struct pt_regs___x86_args {
	unsigned long si;
	unsigned long dx;
} __attribute__((preserve_access_index));

static __always_inline unsigned long kprobe_arg2(void *ctx)
{
	if (bpf_core_field_exists(((struct pt_regs___x86_args *)0)->si))
		return BPF_CORE_READ((struct pt_regs___x86_args *)ctx, si);
	return BPF_CORE_READ((struct pt_regs___arm64 *)ctx, regs[1]);
}

static __always_inline unsigned long kprobe_arg3(void *ctx)
{
	if (bpf_core_field_exists(((struct pt_regs___x86_args *)0)->dx))
		return BPF_CORE_READ((struct pt_regs___x86_args *)ctx, dx);
	return BPF_CORE_READ((struct pt_regs___arm64 *)ctx, regs[2]);
}

#endif /* PROBEBOX_SOCKFD_BPF_H */
