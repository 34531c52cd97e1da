// Package syncsnoop traces the sync family of system calls (sync, fsync,
// fdatasync, msync, sync_file_range, syncfs) as libbpf-tools' syncsnoop
// does, from their syscall entry tracepoints: one line per call with the
// time since boot, the process name and the call.
//
// On the development machine (6.18), sync(1) and another engineer's test
// fsyncing a file in a loop:
//
//	# syncsnoop
//	TIME(s)            COMM             CALL
//	1296.536592658     sync             sync
//	1296.954944471     hardirqs.test    fsync
//	1296.960151492     hardirqs.test    fsync
//
// -p PID (not in libbpf-tools) keeps one process's calls, in the kernel.
// --json prints one object per call: ts_ns (since boot), pid, tid, comm,
// call.
package syncsnoop
