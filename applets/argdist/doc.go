// Package argdist traces one probe and prints, every interval (-i,
// default 1 s), a log2 histogram (-H) or a frequency count (-C, the -T
// most frequent) of one value there, as bcc's argdist does, from bcc's
// specifier:
//
//	{p,r,t}:{library,category}:function(signature)[:type:expr[:filter]][#label]
//
// The subset that covers argdist's man-page examples: p: (entry) and r:
// (return) probes of kernel functions (empty library; kprobes) and user
// functions (c, a library name or a path; uprobes), t: tracepoints; one
// integer type (u8...u64, s8...s64, int, long, size_t...); the expression
// a parameter of the signature (its position: C registers), $retval,
// $PID or args->FIELD; an optional filter comparing one of those with a
// number (==, !=, <, <=, >, >=). Everything else (string values, several
// expressions, arithmetic, $latency) is one line naming the column where
// it starts, exit 2. The value, filter and counting all happen in the
// kernel.
//
// --json prints one object per interval: summary, time, probe, expr, and
// hist {unit, buckets} (-H) or counts [{value, count}] (-C), not_counted
// {"counts": N} (values the 10240-entry map had no room for).
//
// Output on the development machine, argdist -n 1 -C
// 'p:c:malloc(size_t size):size_t:size' -T 4 and argdist -n 1 -H
// 't:syscalls:sys_enter_read():u64:args->count':
//
//	[21:49:23]
//	p:c:malloc(size_t size):size_t:size
//		COUNT      EVENT
//		1160       size = 32
//		1618       size = 64
//		6240       size = 16
//		6360       size = 24
//	[21:49:25]
//	t:syscalls:sys_enter_read():u64:args->count
//	     args->count         : count    distribution
//	         0 -> 1          : 1170     |**************************************  |
//	         2 -> 3          : 0        |                                        |
//	         4 -> 7          : 0        |                                        |
//	         8 -> 15         : 8        |                                        |
//	        16 -> 31         : 3        |                                        |
//	        32 -> 63         : 3        |                                        |
//	        64 -> 127        : 0        |                                        |
//	       128 -> 255        : 230      |*******                                 |
//	       256 -> 511        : 22       |                                        |
//	       512 -> 1023       : 722      |***********************                 |
//	      1024 -> 2047       : 89       |**                                      |
//	      2048 -> 4095       : 5        |                                        |
//	      4096 -> 8191       : 637      |********************                    |
//	      8192 -> 16383      : 10       |                                        |
//	     16384 -> 32767      : 264      |********                                |
//	     32768 -> 65535      : 1223     |****************************************|
//	     65536 -> 131071     : 24       |                                        |
package argdist
