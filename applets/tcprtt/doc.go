// Package tcprtt summarizes the smoothed RTT of TCP connections as log2
// histograms, as libbpf-tools' tcprtt prints them.
//
// Sampled each time an established connection takes a segment on its
// fast path (tcp_rcv_established): fentry or kprobe there, else the
// tcp:tcp_probe tracepoint that function fires on entry (tp_btf, raw
// tracepoint, tracefs), which sees the same calls. -p -P -a -A filter in
// the kernel; -b / -B split by local or remote address.
//
// --json prints one object per summary:
//
//	summary     1-based number of the summary
//	time        local time "HH:MM:SS" (only with -T)
//	histograms  list of {"laddr"|"raddr" (with -b/-B), "avg" (with -e),
//	            "unit": "usecs"|"msecs", "buckets": [{"low","high","count"}]}
//	not_counted {"hists": N}: RTT samples a full map kept out
//
// On the development machine (6.18, shared with other builds), `tcprtt -d 6 -e`:
//
//	Tracing TCP RTT for 6 secs.
//
//	All Addresses = ****** [AVG 6310]
//	     usecs               : count    distribution
//	         0 -> 1          : 0        |                                        |
//	         2 -> 3          : 0        |                                        |
//	         4 -> 7          : 49       |***                                     |
//	         8 -> 15         : 83       |******                                  |
//	        16 -> 31         : 59       |****                                    |
//	        32 -> 63         : 11       |                                        |
//	        64 -> 127        : 6        |                                        |
//	       128 -> 255        : 4        |                                        |
//	       256 -> 511        : 10       |                                        |
//	       512 -> 1023       : 26       |*                                       |
//	      1024 -> 2047       : 83       |******                                  |
//	      2048 -> 4095       : 153      |***********                             |
//	      4096 -> 8191       : 361      |***************************             |
//	      8192 -> 16383      : 534      |****************************************|
//	     16384 -> 32767      : 16       |*                                       |
package tcprtt
