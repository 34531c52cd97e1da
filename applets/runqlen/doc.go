// Package runqlen samples the scheduler run queue length of every CPU
// (tasks waiting, the running one not counted) with a cpu-clock perf
// event, 99 times a second by default (-f), as libbpf-tools' runqlen
// does: a linear histogram of all CPUs, one per CPU with -C, or the share
// of samples that found a task waiting (-O, run queue occupancy). The
// length is rq->nr_running of the sampled CPU's run queue, reached from
// the current task through kernel BTF (task->se.cfs_rq->rq, or the
// enclosing rq without group scheduling), so every scheduling class
// counts; libbpf-tools reads the CFS queue's nr_running only.
//
// --json prints one object per summary: summary, time (with -T), and
// either all {samples, runqocc (percent), hist {unit "runqlen", buckets
// [{low, high, count}] of non-empty lengths}} or, with -C, cpus [{cpu,
// samples, runqocc, hist}].
//
// Output on the development machine (2 shared cores, busy), runqlen 1 1
// and runqlen -C -O 1 1:
//
//	Sampling run queue length... Hit Ctrl-C to end.
//
//	     runqlen       : count     distribution
//	        0          : 3        |***                                     |
//	        1          : 13       |*************                           |
//	        2          : 19       |*******************                     |
//	        3          : 40       |****************************************|
//	        4          : 40       |****************************************|
//	        5          : 30       |******************************          |
//	        6          : 21       |*********************                   |
//	        7          : 17       |*****************                       |
//	        8          : 8        |********                                |
//	        9          : 2        |**                                      |
//	        10         : 1        |*                                       |
//	Sampling run queue length... Hit Ctrl-C to end.
//
//	runqocc, CPU 0    51.55%
//	runqocc, CPU 1    45.36%
package runqlen
