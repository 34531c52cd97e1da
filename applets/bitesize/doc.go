// Package bitesize summarizes block device I/O sizes as one log2
// histogram of Kbytes per process name, printed at each interval or at
// Ctrl-C, as libbpf-tools' bitesize does. Requests are counted when
// issued, under the process that submitted them (remembered at
// block_rq_insert when a kernel worker issues them); the histograms live
// in a BPF map and only they are copied out.
//
// On the development machine (6.18), dd writing 4 KiB and reading 64 KiB
// blocks with O_DIRECT on a loop device:
//
//	# bitesize -T 2 1
//	Tracing block device I/O... Hit Ctrl-C to end.
//
//	20:51:27
//
//	Process Name = dd
//	     Kbytes              : count    distribution
//	         0 -> 1          : 0        |                                        |
//	         2 -> 3          : 0        |                                        |
//	         4 -> 7          : 6        |************************                |
//	         8 -> 15         : 0        |                                        |
//	        16 -> 31         : 0        |                                        |
//	        32 -> 63         : 0        |                                        |
//	        64 -> 127        : 10       |****************************************|
//
//	Process Name = gofmt
//	     Kbytes              : count    distribution
//	         0 -> 1          : 0        |                                        |
//	         2 -> 3          : 0        |                                        |
//	         4 -> 7          : 23       |****************************************|
//
// --json prints one object per summary:
//
//	summary     1-based number of the summary
//	time        local time "HH:MM:SS" (only with -T)
//	histograms  list, sorted by process name, of:
//	  comm      process name
//	  unit      "Kbytes"
//	  buckets   [{"low","high","count"}], log2 slots up to the last non-empty one
//	not_counted {"hists": N, "blk_whos": N}: requests of the interval that a
//	            full map kept out (hists: no room for another process
//	            name; blk_whos: no room to remember a submitter, so the
//	            request counted under the task that issued it)
//
// -c matches names starting with COMM, as libbpf-tools does; -c and -d
// are applied in the kernel.
package bitesize
