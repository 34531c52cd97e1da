// Package writeback traces page cache writeback works as bpftrace's
// writeback.bt does: one line per work, with the backing device, pages,
// reason (background, vmscan, sync, periodic, ...) and its duration in
// milliseconds, from the writeback_start and writeback_written
// tracepoints (tp_btf or raw tracepoint, matched by work; else tracefs,
// matched by file system device as writeback.bt does).
//
// PAGES is the number of pages the work wrote (the page budget it used),
// where writeback.bt prints the budget left masked to 16 bits, which is
// meaningless for sync works (their budget is LONG_MAX); when the start
// of a work was not seen, the budget left is shown.
//
// On the development machine (6.18), dd writing 20 MB and sync(1):
//
//	# writeback
//	Tracing writeback... Hit Ctrl-C to end.
//	TIME      DEVICE   PAGES    REASON           ms
//	21:16:50  254:0    15969    sync             37.671
//	21:16:50  254:0    0        sync             0.002
//	21:16:50  254:0    974      sync             111.353
//	21:16:50  254:0    1        sync             3.766
//
// --json prints one object per work: time, device, pages, pages_left,
// reason, started, latency_ns, sb_major, sb_minor (the file system's
// device, 0:0 for device-wide works).
package writeback
