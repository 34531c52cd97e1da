// Package offcputime sums the time threads spend blocked (switched out
// and not yet back on a CPU), by kernel and user stack, from sched_switch
// (tp_btf, else the raw tracepoint, else the tracefs tracepoint), as bcc's
// and libbpf-tools' offcputime do; values in microseconds.
//
// Filters are applied in BPF: -p/-t (process, thread), -u/-k (user or
// kernel threads), --state (the task state when switched out), -m/-M
// (block time bounds, µs), --cgroup. Outputs as profile's: bcc's layout,
// -f folded, --json ({"stacks": [{"pid", "comm", "us", "kernel", "user"}]}),
// --pprof (offcpu/microseconds) and --svg.
//
// Output on the development machine:
//
//	# offcputime -p 19698 2
//	Tracing off-CPU time (us) of PID 19698 by user + kernel stack for 2 secs.
//	    __schedule
//	    schedule
//	    schedule_timeout
//	    __wait_for_common
//	    wait_for_completion_state
//	    kernel_clone
//	    __x64_sys_vfork
//	    do_syscall_64
//	    entry_SYSCALL_64_after_hwframe
//	    __vfork
//	    -                sh (19698)
//	        4418
//
//	    __schedule
//	    schedule
//	    do_wait
//	    kernel_wait4
//	    __do_sys_wait4
//	    do_syscall_64
//	    entry_SYSCALL_64_after_hwframe
//	    __wait4
//	    -                sh (19698)
//	        1607501
//
// User stacks (--unwind, as in profile): by default (auto) the blocked
// thread's user stack is walked in BPF with .eh_frame unwind tables
// (core/unwind, bpfobj/include/unwind.bpf.h), so code built without
// frame pointers shows whole; --unwind=fp is bcc's frame-pointer walk,
// which stops in the first such function. A program built -O2
// -fomit-frame-pointer blocked in read inside a qsort comparator, on the
// development machine:
//
//	# offcputime -p 17715 -U -f -v 2
//	...
//	hot;_start;__libc_start_main_impl;__libc_start_call_main;main;qsort_r;msort_with_tmp.part.0;msort_with_tmp.part.0;msort_with_tmp.part.0;msort_with_tmp.part.0;msort_with_tmp.part.0;msort_with_tmp.part.0;msort_with_tmp.part.0;msort_with_tmp.part.0;msort_with_tmp.part.0;cmp_block;read 921877
//	offcputime: unwind tables: 3 binaries, 30694 rows, 479 KiB, for 1 processes
//	offcputime: user stacks walked: 32 (1 before their process's mappings were loaded: frame pointers); frames: 495 from tables, 1 by frame pointers (0 of them in binaries whose table was being built); 0 lost to hash collisions
package offcputime
