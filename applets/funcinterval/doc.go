// Package funcinterval prints a log2 histogram of the time between
// consecutive calls of a function or tracepoint (any of the targets a
// pattern matches), as bcc's funcinterval does: kernel functions
// (kprobes), tracepoints ('t:block:block_rq_issue') and user functions
// ('c:read', '/path/bin:func'), in nsecs, -u usecs or -m msecs; -p and -c
// filter in the kernel; -i prints every interval, -d stops after a
// duration. The previous call's time is swapped atomically in the kernel,
// so each call measures from exactly one predecessor.
//
// --json prints one object per summary: summary, time (with -T), hist
// {unit, buckets}.
//
// Output on the development machine, funcinterval -m -d 2 t:sched:sched_switch:
//
//	Tracing 1 functions for "t:sched:sched_switch"... Hit Ctrl-C to end.
//
//	     msecs               : count    distribution
//	         0 -> 1          : 20264    |****************************************|
//	         2 -> 3          : 106      |                                        |
//	         4 -> 7          : 4        |                                        |
package funcinterval
