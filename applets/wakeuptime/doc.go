// Package wakeuptime sums the time threads were blocked by the stack of
// the thread that woke them (bcc's wakeuptime): sched_switch notes when a
// thread blocks, sched_waking (running in the waker) adds the blocked
// time, in microseconds, under the waker's kernel and user stacks (tp_btf,
// else raw tracepoints, else tracefs tracepoints). -p is the woken
// process. Output: bcc's layout (target, the waker's stack innermost
// first, waker, time), -f folded (waker;stack;target), --json
// ({"wakeups": [{"target", "target_pid", "waker", "waker_pid",
// "waker_kernel", "waker_user", "us"}]}).
//
// Output on the development machine:
//
//	# wakeuptime -K 1
//	Tracing blocked time (us) of all threads by waker stack for 1 secs.
//	...
//	    target:          bench
//	    ttwu_do_activate
//	    try_to_wake_up
//	    wake_up_q
//	    futex_wake
//	    do_futex
//	    __x64_sys_futex
//	    do_syscall_64
//	    entry_SYSCALL_64_after_hwframe
//	    waker:           bench
//	        2083915
package wakeuptime
