// Package drsnoop traces direct reclaim stalls as libbpf-tools' drsnoop
// does: each time an allocating task had to reclaim memory itself, how
// long it stalled and how many pages it reclaimed. Beyond libbpf-tools it
// also traces reclaim against a memory cgroup's limit (the stall a
// container hits at its memory.max), marked "scope":"memcg" in --json.
// -e adds free memory when the stall began, read from vm_zone_stat, which
// needs a kernel whose /proc/kallsyms lists data symbols.
//
// --json fields: time, timestamp_ns, comm, pid, tid, lat_ms, pages, scope
// ("global" or "memcg"), free_kb (with -e).
//
// On the development machine (6.18, tp_btf; dd writing 64 MB inside a
// 16 MB memory cgroup):
//
//	# drsnoop
//	Tracing direct reclaim events... Hit Ctrl-C to end.
//	TIME     COMM             TID     LAT(ms) PAGES
//	21:45:45 dd               2800     13.293     1
//	21:45:45 dd               2800     65.889   262
//	21:45:45 dd               2800      0.132   256
package drsnoop
