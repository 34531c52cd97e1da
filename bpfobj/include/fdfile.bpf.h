/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The struct file behind one of the current task's file descriptors, for
 * syscall-tracepoint stand-ins of hooks on vfs functions that take the
 * file (filetop, cachestat). Include after vmlinux.h and
 * bpf_core_read.h. */
#ifndef PROBEBOX_FDFILE_BPF_H
#define PROBEBOX_FDFILE_BPF_H

/* NULL when fd is not open. Read without the RCU lock the kernel takes: a
 * file another thread closes at this moment can be missed or, at worst,
 * read as freed memory, which the probe-read helpers tolerate. */
static __always_inline struct file *fd_file(__u64 fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *f = NULL;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_core_read(&f, sizeof(f), &fds[fd]);
	return f;
}

#define PBX_S_IFMT 00170000
#define PBX_S_IFREG 0100000
#define PBX_S_IFSOCK 0140000

/* The file's type as filetop prints it: R(egular), S(ocket), O(ther). */
static __always_inline char file_type(struct file *f)
{
	__u16 mode = BPF_CORE_READ(f, f_inode, i_mode) & PBX_S_IFMT;

	if (mode == PBX_S_IFREG)
		return 'R';
	if (mode == PBX_S_IFSOCK)
		return 'S';
	return 'O';
}

#endif
