/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Socket syscalls seen from their tracepoints (solisten, bindsnoop): the
 * arguments stashed per thread at sys_enter_*, and the struct socket an
 * fd names, found at sys_exit_* through the task's file table. */
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

#endif /* PROBEBOX_SOCKFD_BPF_H */
