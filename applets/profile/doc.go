// Package profile is a CPU profiler: it samples the stacks of whatever
// runs on each CPU with a cpu-clock perf event (-F HZ, default 49) and
// counts them in BPF, printing each distinct kernel and user stack with
// its sample count at the end (duration or Ctrl-C), as bcc's profile
// does. Frames are named by core/syms (kallsyms; ELF symbols, debug
// files, Go pclntab, perf-PID.map); a process that exited before the end
// shows [unknown] frames.
//
// A flame graph of a real profile, as --svg draws it:
// docs/profile-flamegraph.png.
//
// Outputs: bcc's layout (default), -f folded lines for flamegraph.pl and
// inferno, --json (one object: {"stacks": [{"pid", "comm", "samples",
// "kernel": [...], "user": [...], "kernel_missed", "user_missed"}],
// "not_counted": {...}}, frames innermost first), --pprof FILE (gzipped
// pprof: samples/count and cpu/nanoseconds, pid/tid/comm labels) and
// --svg FILE (a self-contained interactive flame graph). With only --pprof
// or --svg, nothing but a "wrote" line is printed.
//
// Stacks the stack map could not store (hash collisions, full) are counted
// in BPF and reported on stderr; they show as [Missed User Stack] or
// [Missed Kernel Stack].
//
// Output on the development machine (6.18, 2 CPUs, shared):
//
//	# profile -F 99 2
//	Sampling at 99 Hertz of all threads by user + kernel stack for 2 secs.
//	...
//	    qht_lookup_custom
//	    g_free
//	    [unknown]
//	    [unknown]
//	    [unknown]
//	    -                qemu-system-x86 (12688)
//	        9
//
//	    [unknown]
//	    [unknown]
//	    -                qemu-system-x86 (12688)
//	        15
//
//	profile: 6 stack traces could not be stored (hash collisions or a full stack_traces map of 16384 entries); they show as [Missed Kernel Stack] or [Missed User Stack] (raise --stack-storage-size)
//
//	# profile -F 99 -f 1
//	qemu-system-x86;[unknown];[unknown];[unknown];g_free;qht_lookup_custom 5
//	compile;runtime.goexit.abi0;runtime.main;main.main;cmd/compile/internal/gc.Main;...;runtime.mapaccess2 6
package profile
