// Package softirqs summarizes the time soft interrupts ran, per vector
// (net_rx, timer, rcu...), as libbpf-tools' softirqs does: totals per
// interval or at Ctrl-C, with -C the number of runs too, or log2
// histograms with -d; -c keeps one CPU. It uses softirq_entry and
// softirq_exit (tp_btf, else raw tracepoints, else tracefs tracepoints);
// per-CPU counters that only grow, each summary printing the change since
// the previous one.
//
// --json prints one object per summary: summary (1-based), time (with
// -T), softirqs (list, in vector order, of {name, count, total, unit, hist
// {unit, buckets} with -d}), not_counted ({}: no bounded map) and missed
// (events the kernel skipped because a BPF program was running on that
// CPU; also said on stderr).
//
// Output on the development machine, softirqs -C 1 1:
//
//	Tracing soft irq event time... Hit Ctrl-C to end.
//
//	SOFTIRQ          TOTAL_usecs  TOTAL_count
//	timer                    548          104
//	block                    137            5
//	sched                    592           38
//	rcu                     3213          334
package softirqs
