// Package dcsnoop traces directory entry cache (dcache) lookups, one line
// each, as libbpf-tools' dcsnoop does: every failed d_lookup() (M, a miss:
// the name was not in the dcache) and, with -a, every lookup_fast() step
// of a path walk (R, a reference; the name runs on to the end of the path).
//
// Hooks, best first: fexit on d_lookup, else a kprobe and kretprobe pair
// (the name kept by thread in a bounded map whose refusals are counted);
// for -a, fentry on lookup_fast, else a kprobe (found under a
// compiler-renamed name too). The dcache has no tracepoint, so where the
// kernel has neither fentry/fexit nor kprobes, dcsnoop ends at once with
// one line and status 1, as on the development machine (6.18):
//
//	# dcsnoop
//	dcsnoop: no way to hook dcache misses on this kernel: fexit d_lookup: the kernel refuses
//	fexit programs (EPERM even with privileges: locked down or not built in); kprobe d_lookup +
//	kretprobe d_lookup: this kernel has no kprobes (CONFIG_KPROBES is off)
//
// (one line, wrapped here). Where the hooks exist, in the kernel
// matrix's Debian 6.1 guest (fexit d_lookup, fentry lookup_fast), while
// busybox's mkdir, stat and cat walk paths under /tmp:
//
//	# dcsnoop -a
//	S-TIME(s)   PID     TID     COMM             T FILE
//	19.172030   526     526     mkdir            R tmp/pbxdcdemo
//	19.172081   526     526     mkdir            M pbxdcdemo
//	19.179248   527     527     stat             R tmp/pbxdcdemo/missing
//	19.179278   527     527     stat             R pbxdcdemo/missing
//	19.229453   528     528     cat              R tmp/pbxdcdemo/nothere/x
//	19.229468   528     528     cat              R pbxdcdemo/nothere/x
//
// -T prints the clock (header TIME(s), as libbpf-tools) instead of the
// seconds since start; -p and -t filter in the kernel; -d ends after so
// many seconds. --json prints one object per lookup: timestamp_ns
// (CLOCK_MONOTONIC), time (with -T), pid, tid, comm, type ("M" or "R"),
// file.
package dcsnoop
