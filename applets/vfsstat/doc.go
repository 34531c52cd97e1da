// Package vfsstat counts VFS operations per second, as libbpf-tools'
// vfsstat does: reads, writes, fsyncs, opens, creates, unlinks, mkdirs and
// rmdirs, summed in a per-CPU BPF array and printed every interval.
//
// Hooks, best first: fentry, else kprobe, on vfs_read, vfs_write,
// vfs_fsync_range, vfs_open, vfs_create, vfs_unlink, vfs_mkdir and vfs_rmdir;
// where the kernel has neither (the development machine), the system
// calls that lead to them (one program on sys_enter, a raw tracepoint else
// the raw_syscalls tracepoint, with core/vfssys's table of the calls), a
// stand-in that -v and `probebox features`
// describe: it counts calls made (any file descriptor, failed calls too;
// CREATE is creat, mknod and every open with O_CREAT), not VFS operations
// done, and does not see in-kernel callers (nfsd, overlayfs, io_uring).
//
// On the development machine (6.18, syscall stand-in):
//
//	# vfsstat 1 2
//	TIME         READ/s  WRITE/s  FSYNC/s   OPEN/s CREATE/s UNLINK/s  MKDIR/s  RMDIR/s
//	03:44:43:       328      137        0      445       16      231        2      207
//	03:44:44:      5696      157        0     2372       39       14       42        3
//
// Counts are divided by the interval, as libbpf-tools does. -p PID (not
// in libbpf-tools) counts one process, in the kernel. --json prints one
// object per interval with the raw counts: time, interval_s (measured),
// read, write, fsync, open, create, unlink, mkdir, rmdir.
package vfsstat
