// Package gethostlatency shows name lookups made through the C library
// and how long each took, as libbpf-tools' gethostlatency does: uprobes
// and uretprobes on getaddrinfo, gethostbyname and gethostbyname2 of the
// C library the dynamic loader would use (with -p, the one that process
// maps, through /proc/PID/root for containers). Lookups that do not go
// through these functions (Go's own resolver, gethostbyname_r, D-Bus
// calls to systemd-resolved) are not seen.
//
// --json fields: time, timestamp_ns (CLOCK_MONOTONIC at the return), pid,
// tid, comm, lat_ms, lat_ns, host, func, ret (getaddrinfo's result; 1/0
// for gethostbyname*), found, cgroup_id. Calls in flight are kept per
// thread in a map of 10240 entries; a full map is reported, not hidden.
//
// On the development machine (6.18, uprobes on /lib/x86_64-linux-gnu/libc.so.6):
//
//	# gethostlatency
//	TIME     PID     COMM             LATms      HOST
//	00:38:35 8607    getent           35.774     localhost
//	00:38:35 8607    getent           0.154      localhost
//	00:38:35 8608    getent           22.259     localhost
package gethostlatency
