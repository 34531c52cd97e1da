// Package fsdist summarizes a file system's read, write, open, fsync and
// getattr latency as log2 histograms, one per operation, as libbpf-tools'
// fsdist does; ext4dist, xfsdist, btrfsdist and nfsdist are fsdist for
// that file system (-t FS picks it for the generic name). The histograms
// live in a BPF array; only they are copied out.
//
// The file systems' functions (ext4_file_read_iter, ...) have no
// tracepoints: hooks are fentry/fexit pairs, else kprobe/kretprobe pairs.
// On a kernel with neither, the tool ends at once with one line saying so
// and exit status 1; on the development machine (6.18, no kprobes, fentry
// refused):
//
//	# ext4dist
//	ext4dist: no way to hook ext4 operations on this kernel: fentry ext4_file_read_iter + ... :
//	the kernel refuses TraceFEntry programs (EPERM even with privileges: locked down or not built in);
//	kprobe ext4_file_read_iter + ... : this kernel has no kprobes (CONFIG_KPROBES is off)
//
// (one line, wrapped here). Elsewhere the output is libbpf-tools':
//
//	Tracing ext4 operation latency... Hit Ctrl-C to end.
//	^C
//	operation = 'read'
//	     usecs               : count    distribution
//	         0 -> 1          : 0        |                                        |
//	...
//
// --json prints one object per summary: summary, time (-T), fs,
// operations [{"operation","unit","buckets"}] (those that happened),
// not_counted {"fs_starts": N}.
package fsdist
