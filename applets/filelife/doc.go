// Package filelife traces short-lived files: when a file is deleted, its
// age since creation, with the deleting process, in libbpf-tools'
// filelife columns.
//
// libbpf-tools hooks vfs_create/vfs_open/security_inode_create and
// vfs_unlink with kprobes. The kernel has no tracepoint there, so probebox
// works from system calls on every kernel: an open, openat, openat2 or
// creat that returns a descriptor whose file it created (FMODE_CREATED)
// records the time under the path as given (relative to the directory it
// was resolved from) and under the file's own name in its directory; an
// unlink or unlinkat that succeeds on either reports the age. Files made
// by mknod, link or rename, deleted by another path (created as "x",
// deleted as "../d/x"), or by in-kernel callers are not seen; -v and
// `probebox features` say so. -p applies, in the kernel, to the process
// that creates the file.
//
// On the development machine (6.18), touch(1) and rm(1) 0.7 s apart, and
// another engineer's opensnoop test:
//
//	# filelife
//	Tracing the lifespan of short-lived files ... Hit Ctrl-C to end.
//	TIME     PID    COMM             AGE(s)  FILE
//	21:09:07 28589  rm               0.77    pbx-demo1
//	21:09:08 28605  opensnoop.test   0.24    pbx-open-1535991088
//
// --json prints one object per deleted file: time, pid, tid, comm (the
// deleting task), age_ns, file.
package filelife
