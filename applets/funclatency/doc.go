// Package funclatency times functions from entry to return and prints
// log2 histograms of the latency (nsecs, -u usecs, -m msecs) with the
// average, total and count, as bcc's funclatency does: kernel functions
// (fentry/fexit for one function known to BTF, else kprobe/kretprobe, for
// globs and compiler-renamed copies) and user functions
// (uprobe/uretprobe: 'c:read', '/path/bin:func'). -F gives one histogram
// per matched function, -l times nested or recursive calls up to that
// depth (each thread keeps a stack of entry times), -p and -c filter in
// the kernel, -i prints every interval, -d stops after a duration.
//
// On a kernel without kprobes and fentry (the development machine), a
// kernel function fails with one line saying so (exit 1). A uretprobe
// belongs to the thread that entered the function: Go programs that
// move goroutines between threads inside a probed function are killed by
// the kernel (SIGILL) on 6.11 and later; probe C code, or Go code on a
// locked thread.
//
// --json prints one object per summary: summary, time (with -T),
// functions [{func (with -F), count, total, hist {unit, buckets}}],
// not_counted {"start": N}.
//
// Output on the development machine, funclatency -u -d 1 c:malloc:
//
//	Tracing 1 functions for "c:malloc"... Hit Ctrl-C to end.
//
//	     usecs               : count    distribution
//	         0 -> 1          : 0        |                                        |
//	         2 -> 3          : 2        |**************************              |
//	         4 -> 7          : 0        |                                        |
//	         8 -> 15         : 0        |                                        |
//	        16 -> 31         : 3        |****************************************|
//	        32 -> 63         : 0        |                                        |
//	        64 -> 127        : 2        |**************************              |
//	       128 -> 255        : 1        |*************                           |
//
//	avg = 44 usecs, total: 359 usecs, count: 8
package funclatency
