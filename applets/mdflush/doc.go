// Package mdflush traces md (software RAID) flush requests, one line each
// with the process and the md device, as libbpf-tools' mdflush does, from
// md_flush_request by fentry, else kprobe (there is no tracepoint; the md
// driver must be loaded for the function to exist). Where neither hook
// exists, it ends at once with one line and status 1, as on the
// development machine (6.18, no kprobes, fentry refused):
//
//	# mdflush
//	mdflush: no way to hook md flush on this kernel: fentry md_flush_request: the kernel refuses
//	TraceFEntry programs (EPERM even with privileges: locked down or not built in); kprobe
//	md_flush_request: this kernel has no kprobes (CONFIG_KPROBES is off)
//
// (one line, wrapped here). Elsewhere:
//
//	Tracing md flush requests... Hit Ctrl-C to end.
//	TIME     PID     COMM             DEVICE
//	13:04:05 7169    jbd2/md0-8       md0
//
// The live test covers the refusal; no kernel in reach has md devices to
// make (the matrix guest lacks the md module). --json prints one object
// per flush: time, pid, comm, device.
package mdflush
