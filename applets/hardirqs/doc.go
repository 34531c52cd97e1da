// Package hardirqs summarizes the time hard interrupt handlers ran (or,
// with -C, how often), by handler name, as libbpf-tools' hardirqs does:
// totals per interval or at Ctrl-C, or log2 histograms with -d. It uses
// irq_handler_entry and irq_handler_exit (tp_btf, else raw tracepoints,
// else tracefs tracepoints); the counters are per-CPU and only grow, and
// each summary prints what changed since the previous one, so nothing is
// lost between reading and clearing.
//
// --json prints one object per summary: summary (1-based), time (with
// -T), hardirqs (list of {name, count, total and unit unless -C, hist
// {unit, buckets} with -d}), not_counted {"stats": N} (runs of handlers the
// 1024-name map had no room for) and missed (events the kernel skipped
// because a BPF program was running on that CPU; also said on stderr).
//
// Output on the development machine (a virtio VM), hardirqs 1 1:
//
//	Tracing hard irq event time... Hit Ctrl-C to end.
//
//	HARDIRQ                    TOTAL_usecs
//	virtio1-req.0                       18
//	virtio3-rx                          77
//	virtio3-tx                          57
package hardirqs
