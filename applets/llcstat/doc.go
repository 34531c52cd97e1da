// Package llcstat counts last-level cache references and misses by CPU
// and process (or thread, -t) from the hardware perf events
// PERF_COUNT_HW_CACHE_REFERENCES and PERF_COUNT_HW_CACHE_MISSES, one
// sample in -c events, for -d seconds (default 10) or until Ctrl-C, and
// prints libbpf-tools' llcstat table and totals.
//
// --json prints one object: rows [{pid, tid (with -t), comm, cpu,
// references, misses, hit_pct}], total_references, total_misses, hit_pct,
// not_counted {"stats": N}.
//
// The development machine is a VM without a virtual PMU:
//
//	$ llcstat
//	llcstat: this machine has no hardware cache counters (perf_event_open PERF_COUNT_HW_CACHE_MISSES: no such file or directory): a VM has them only with a virtual PMU
package llcstat
