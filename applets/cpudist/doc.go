// Package cpudist summarizes how long tasks run on a CPU before they are
// switched out (on-CPU time) or, with -O, how long they stay off CPU
// between two runs, as log2 histograms printed at each interval or at
// Ctrl-C, as libbpf-tools' cpudist does. Both come from sched_switch
// alone (tp_btf, else raw tracepoint, else the tracefs tracepoint).
//
// On-CPU time counts every slice a task ran, whatever ended it (a
// preemption or the task blocking); libbpf-tools counts only the slices
// ended by a preemption.
//
// --json prints one object per summary:
//
//	summary     1-based number of the summary
//	mode        "on-CPU" or "off-CPU" (-O)
//	time        local time "HH:MM:SS" (only with -T)
//	histograms  list, sorted by key, of:
//	  pid | tid   the key (with -P or -L; absent otherwise)
//	  comm        first task name seen under the key (with a key)
//	  unit        "usecs" or "msecs" (-m)
//	  buckets     [{"low","high","count"}], log2 slots up to the last non-empty one
//	not_counted {"hists": N, "start": N}: intervals of the summary that full
//	            maps kept out (hists: raise --max-keys; start: more than
//	            10240 threads switched at once); also said on stderr
//
// Output on the development machine (2 shared cores), cpudist 1 1:
//
//	Tracing on-CPU time... Hit Ctrl-C to end.
//
//	     usecs               : count    distribution
//	         0 -> 1          : 0        |                                        |
//	         2 -> 3          : 5        |                                        |
//	         4 -> 7          : 44       |*                                       |
//	         8 -> 15         : 297      |**********                              |
//	        16 -> 31         : 1060     |*************************************   |
//	        32 -> 63         : 443      |***************                         |
//	        64 -> 127        : 1143     |****************************************|
//	       128 -> 255        : 469      |****************                        |
//	       256 -> 511        : 153      |*****                                   |
//	       512 -> 1023       : 133      |****                                    |
//	      1024 -> 2047       : 225      |*******                                 |
//	      2048 -> 4095       : 281      |*********                               |
//	      4096 -> 8191       : 51       |*                                       |
//	      8192 -> 16383      : 7        |                                        |
package cpudist
