// Package fileslower traces synchronous file reads and writes slower than
// a threshold (min_ms, 10 by default; 0 shows all), with the thread, size
// asked for, latency and file name, in bcc's fileslower layout. Only
// regular files unless -a.
//
// Hooks, best first: vfs_read and vfs_write by fentry/fexit, else
// kprobe/kretprobe; where the kernel has neither (the development machine)
// the read, pread64, write and pwrite64 syscall tracepoints, the file
// found from the descriptor, a stand-in that does not see in-kernel
// readers and writers (-v and `probebox features` say so).
//
// On the development machine (6.18), dd writing 1 MiB blocks:
//
//	# fileslower 5
//	Tracing sync read/writes slower than 5 ms
//	TIME(s)  COMM           TID    D BYTES   LAT(ms) FILENAME
//	0.000    dd             16694  W 1048576   24.37 pbx-fs
//	0.079    dd             16694  W 1048576   79.09 pbx-fs
//	0.110    dd             16694  W 1048576   30.47 pbx-fs
//
// TIME(s) counts from the first event shown. --json prints one object per
// operation: ts_ns, comm, pid, tid, d, bytes, latency_ns, file.
package fileslower
