// Package cachestat shows page cache hits, misses and dirties per
// interval, with the hit ratio and the Buffers and Cached sizes of
// /proc/meminfo, in bcc's and libbpf-tools' cachestat layout. Counters are
// summed in a per-CPU BPF array and combined as bcc does: accesses without
// dirtied buffers, misses (pages added) without dirtied pages, and
// everything a miss when readahead makes misses outnumber accesses.
//
// Hooks, best first: the filemap tracepoints of 6.10+ kernels
// (mm_filemap_get_pages and mm_filemap_fault for accesses, counted per page
// and once per read, cut at the file's size; mm_filemap_add_to_page_cache
// by folio order; block_dirty_buffer; writeback_dirty_folio), else the
// functions the peers count (folio_mark_accessed or mark_page_accessed,
// filemap_add_folio or add_to_page_cache_lru, mark_buffer_dirty) by
// fentry, then kprobe. On current kernels those functions are called once
// per batch of pages, not per page, so the peers' (and this fallback's)
// hit counts are low; the tracepoint set counts pages. -v and `probebox
// features` say which set is used and what it counts.
//
// On the development machine (6.18, tracepoints), Go builds running:
//
//	# cachestat -T 1 3
//	TIME         HITS   MISSES  DIRTIES HITRATIO   BUFFERS_MB  CACHED_MB
//	21:11:20    32624     3123     4804   91.26%           51       3386
//	21:11:21    18911     1420     7086   93.02%           51       3392
//	21:11:22    25721     2017     2398   92.73%           51       3400
//
// -p PID (not in the peers) counts one process, in the kernel. --json
// prints one object per interval: time, hits, misses, dirties, hit_ratio
// (percent), buffers_mb, cached_mb.
package cachestat
