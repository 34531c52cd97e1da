// Package offwaketime sums blocked time by the blocked thread's stacks
// joined with the stacks of the thread that woke it (bcc's offwaketime):
// sched_switch takes the stacks of the thread switched out, sched_waking
// (running in the waker) the waker's, and when the thread runs again the
// time it was away is added, in microseconds (tp_btf, else raw
// tracepoints, else tracefs tracepoints). Output: bcc's layout (the
// waker's stack read down to the wakeup, "--", the target's stack from
// where it blocked), -f folded (target;...;--;...;waker), --json
// ({"wakeups": [{"target", "target_pid", "waker", "waker_pid",
// "waker_kernel", "waker_user", "target_kernel", "target_user", "us"}]}).
// A thread switched back in with no wakeup seen (preempted) has waker
// [unknown].
//
// Output on the development machine:
//
//	# offwaketime 1
//	...
//	    waker:           offwaketime 11509
//	    runtime.notewakeup
//	    runtime.futex
//	    entry_SYSCALL_64_after_hwframe
//	    do_syscall_64
//	    __x64_sys_futex
//	    do_futex
//	    futex_wake
//	    wake_up_q
//	    try_to_wake_up
//	    ttwu_do_activate
//	    --               --
//	    __schedule
//	    schedule
//	    futex_do_wait
//	    __futex_wait
//	    futex_wait
//	    do_futex
//	    __x64_sys_futex
//	    do_syscall_64
//	    entry_SYSCALL_64_after_hwframe
//	    runtime.futex
//	    runtime.notesleep
//	    runtime.stopm
//	    runtime.findRunnable
//	    runtime.schedule
//	    runtime.park_m
//	    runtime.mcall
//	    target:          offwaketime 11509
//	        1000551
package offwaketime
