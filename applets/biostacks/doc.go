// Package biostacks shows block I/O latency histograms by the kernel stack
// that started the I/O, with the process and disk, as libbpf-tools'
// biostacks does, printed at Ctrl-C or after [duration] seconds. Stacks
// are kept in a BPF stack map and named through /proc/kallsyms.
//
// libbpf-tools hooks blk_account_io_start with fentry or a kprobe; here a
// request's first sight stands in on every kernel: block_rq_insert, or
// block_rq_issue for a request issued directly, both in the submitting
// task with the submission path on the stack (tp_btf, else raw
// tracepoints); block_rq_complete ends it. -d applies in the kernel.
//
// On the development machine (6.18), dd writing 4 KiB blocks with
// O_DIRECT on a loop device:
//
//	# biostacks -d loop0 3
//	Tracing block I/O with init stacks. Hit Ctrl-C to end.
//	dd             30609  loop0
//	blk_mq_start_request
//	loop_queue_rq
//	__blk_mq_issue_directly
//	blk_mq_issue_direct
//	blk_mq_dispatch_queue_requests
//	blk_mq_flush_plug_list
//	__blk_flush_plug
//	__submit_bio
//	submit_bio_noacct_nocheck
//	submit_bio_wait
//	__blkdev_direct_IO_simple
//	blkdev_write_iter
//	vfs_write
//	ksys_write
//	do_syscall_64
//	entry_SYSCALL_64_after_hwframe
//	     usecs               : count    distribution
//	         0 -> 1          : 0        |                                        |
//	         2 -> 3          : 0        |                                        |
//	         4 -> 7          : 1        |*                                       |
//	         8 -> 15         : 24       |****************************************|
//	        16 -> 31         : 8        |*************                           |
//
// --json prints one object at the end: histograms [{"comm","pid","disk",
// "stack":[functions, innermost first],"histogram"}], not_counted
// {"hists","starts","stacks"}.
package biostacks
