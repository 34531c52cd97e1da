/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Counter slots shared by vfsstat.bpf.c and applets/vfsstat, in the
 * order of libbpf-tools' columns. */
#ifndef VFSSTAT_H
#define VFSSTAT_H

#define VFS_S_READ 0
#define VFS_S_WRITE 1
#define VFS_S_FSYNC 2
#define VFS_S_OPEN 3
#define VFS_S_CREATE 4
#define VFS_S_UNLINK 5
#define VFS_S_MKDIR 6
#define VFS_S_RMDIR 7
#define VFS_S_MAX 8

#endif
