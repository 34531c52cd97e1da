// Package threadsnoop traces new threads, as bcc's threadsnoop does: a
// uprobe on pthread_create() in the C library (libpthread before glibc
// 2.34) shows the creating process and the new thread's start function,
// symbolized from the process's own files (through /proc/PID/root, so
// containers' processes are named too). Threads made without the C
// library (raw clone(), the Go runtime) are not seen (exitsnoop -T sees
// every thread end). As in bcc, the start function is named from the
// process's mappings when the event is printed: a process that has
// already exited by then shows the address ("[unknown 0x...]").
//
// --json fields: timestamp_ns (CLOCK_MONOTONIC), time_ms (since the first
// event), pid, tid (the creating thread), comm, func, start_addr,
// cgroup_id.
//
// On the development machine (6.18, uprobe on /usr/lib/x86_64-linux-gnu/libc.so.6):
//
//	# threadsnoop
//	TIME(ms)   PID     COMM             FUNC
//	0          29320   pbx-threads      pbx_thread_main
//	1225       19327   tcpsubnet.test   threadentry
//	2941       29283   pbx              threadentry
package threadsnoop
