// Package fsslower traces a file system's reads, writes, opens and fsyncs
// slower than a threshold (-m, 10 ms by default; 0 shows all), with the
// process, size, offset, latency and file name, as libbpf-tools' fsslower
// does; ext4slower, xfsslower, btrfsslower and nfsslower are fsslower for
// that file system (-t FS picks it for the generic name). -c prints CSV.
//
// The file systems' functions have no tracepoints: hooks are fentry/fexit
// pairs, else kprobe/kretprobe pairs. On a kernel with neither, the tool
// ends at once with one line saying so and exit status 1, as on the
// development machine (6.18, no kprobes, fentry refused):
//
//	# ext4slower
//	ext4slower: no way to hook ext4 operations on this kernel: fentry ext4_file_read_iter + ... :
//	the kernel refuses TraceFEntry programs (EPERM even with privileges: locked down or not built in);
//	kprobe ext4_file_read_iter + ... : this kernel has no kprobes (CONFIG_KPROBES is off)
//
// (one line, wrapped here). Elsewhere:
//
//	Tracing ext4 operations slower than 10 ms... Hit Ctrl-C to end.
//	TIME     COMM             PID     T BYTES   OFF_KB   LAT(ms) FILENAME
//	13:04:05 postgres         1216    R 4096    64         10.99 16384_fsm
//
// With kprobes, an fsync's range is not known at return: BYTES is 0
// there (LL_MAX, a whole-file fsync, with fexit). --json prints one object
// per operation: time, end_ns, comm, pid, operation, bytes, offset,
// latency_ns, file.
package fsslower
