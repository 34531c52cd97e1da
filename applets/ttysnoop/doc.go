// Package ttysnoop shows what is written to one terminal, as
// libbpf-tools' ttysnoop does (ttysnoop /dev/pts/N, or N, or /dev/ttyX).
// Where the kernel has fentry or kprobes it hooks tty_write() (Linux
// 5.11+'s iov_iter form) as libbpf-tools does, seeing every write to the
// terminal; the development machine has neither, so there probebox takes
// write() and writev() at their syscall tracepoints and keeps, in the
// kernel, those whose file descriptor is the watched device (same device
// number and, for a pts, the same devpts instance, so a container's pts/0
// is not the host's). What that stand-in does not see is said in -v and
// in `probebox features`: pwrite, io_uring, splice/sendfile into the
// terminal. Of a writev() both show only the first 256 bytes of each of
// its first 8 buffers.
// Each write shows up to -s SIZE times -c COUNT bytes (4 KiB by default,
// 16 KiB at most).
//
// The output is the terminal's text with newlines and tabs kept and every
// other control byte escaped: a watched program cannot drive the
// watcher's terminal. The screen is cleared first (as bcc does) only on a
// terminal and without -C. --json fields: timestamp_ns, pid, comm, len,
// data (the bytes as written), cgroup_id.
//
// On the development machine (6.18, tracepoints syscalls:sys_enter_write
// and sys_enter_writev), a bash on /dev/pts/0 running three commands:
//
//	# ttysnoop -C 0
//	hello from 767
//	/etc/ssh  /etc/ssl
//	2026-12-02
package ttysnoop
