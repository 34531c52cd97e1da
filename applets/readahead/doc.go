// Package readahead shows how much of what the kernel read ahead into the
// page cache was used, and how long after the read-ahead, as
// libbpf-tools' readahead: "Readahead unused/total pages" and a log2
// histogram of milliseconds, printed at Ctrl-C or after -d seconds. Units
// are folios (pages, or groups of pages), as the peers count them.
//
// Hooks, best first: the readahead and filemap tracepoints of 6.10+
// kernels (a thread's read-ahead window, the folios added inside it, the
// reads' ranges and faults that use them); else the functions libbpf-tools
// traces (page_cache_ra_unbounded/_order for its do_page_cache_ra, which
// Debian's 6.1 inlines; filemap_alloc_folio, folio_mark_accessed) by
// fentry/fexit, then kprobe/kretprobe. On current kernels
// folio_mark_accessed runs once per batch of folios a read takes, so the
// function set (and the peers) count most read-ahead folios as unused.
//
// On the development machine (6.18, tracepoints), cat reading /usr/bin:
//
//	# readahead -d 3
//	Tracing fs read-ahead ... Hit Ctrl-C to end.
//
//	Readahead unused/total pages: 22/3543
//	     msecs               : count    distribution
//	         0 -> 1          : 164      |******                                  |
//	         2 -> 3          : 37       |*                                       |
//	         4 -> 7          : 65       |**                                      |
//	         8 -> 15         : 408      |***************                         |
//	...
//
// --json prints one object at the end: unused, total, histogram
// {"unit":"msecs","buckets":[...]}, not_counted {"folios": N}.
package readahead
