// Package exitsnoop traces process termination, as libbpf-tools' exitsnoop
// does: each process's exit (each thread's with -T), how long it lived, and
// its exit code or the signal that ended it, from sched_process_exit.
//
// --json fields: timestamp_ns (CLOCK_MONOTONIC), time (with -t), comm, pid,
// ppid, tid, uid, age_s, exit_code, signal (0 for a normal exit),
// signal_name ("SIGKILL", only with a signal), core_dumped, cgroup_id.
//
// On the development machine (6.18, tp_btf):
//
//	# exitsnoop -t
//	TIME(s)  PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE
//	20:51:40 sh               10838   10794   10838   0.01    code 3
//	20:51:40 cpudspin         10815   10403   10815   1.18    signal 9 (Killed)
//	20:51:40 true             10866   10794   10866   0.03    0
//	20:51:41 git              10883   10854   10883   0.11    signal 13 (Broken pipe)
//	20:51:41 bash             10854   10852   10854   0.67    0
package exitsnoop
