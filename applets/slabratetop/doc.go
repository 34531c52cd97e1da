// Package slabratetop shows kernel slab allocations (kmem_cache_alloc) by
// cache, refreshed every interval, as libbpf-tools' slabratetop does:
// counts and bytes (the cache's object size per allocation) are summed per
// cache name in a BPF map. Hooks: the kmem:kmem_cache_alloc tracepoint as
// tp_btf, raw tracepoint or tracefs tracepoint (where libbpf-tools uses a
// kprobe on the function). kmalloc() allocations have their own
// tracepoint and are not counted, as in the peers. The screen is cleared
// only when stdout is a terminal (and not with -C).
//
// On the development machine (6.18):
//
//	# slabratetop -C -r 6 1 1
//	21:13:56 loadavg: 28.92 17.93 13.39 54/362 8186
//
//	CACHE                            ALLOCS      BYTES
//	names_cache                         931    3813376
//	maple_node                          623     159488
//	vm_area_struct                      691     132672
//	filp                                586     112512
//	task_struct                          16      93184
//	perf_event                           23      31096
//
// --json prints one object per interval: time, loadavg, caches
// ({"cache","allocs","bytes"} in -s order, at most -r), not_counted
// {"caches": N}.
package slabratetop
