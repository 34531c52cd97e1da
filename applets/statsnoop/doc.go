// Package statsnoop traces stat-family syscalls (statfs, stat, lstat,
// fstatat, statx) with the path asked for and the result, as libbpf-tools'
// statsnoop does: RET 0 and ERR 0 when it worked, RET -1 and the errno
// otherwise. -p and -x are applied in the kernel.
//
// --json fields: timestamp_ns (CLOCK_MONOTONIC), pid, tid, comm, syscall
// ("statfs", "stat", "statx", "fstatat", "lstat"), ret, err, err_name
// (only on failure), path.
//
// On the development machine (6.18, syscall tracepoints):
//
//	# statsnoop -t
//	TIME(s)        PID     COMM                 RET  ERR  PATH
//	0.000000000    31641   bpftrace             -1   2    lib/clang/14.0.6/lib/x86_64-pc-linux-gnu
//	0.000015599    31641   bpftrace             -1   2    ../lib/x86_64-pc-linux-gnu
//	0.000111753    31641   bpftrace             -1   2    /usr/local/cuda
package statsnoop
