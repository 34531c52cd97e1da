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
// User stacks (--unwind): the kernel's frame-pointer walk, which bcc and
// libbpf-tools use, stops at the first function built without frame
// pointers (most of Debian's libraries and programs), so their stacks
// end after a frame or two. With --unwind=auto (the default, where the
// kernel has bpf_loop and bpf_task_pt_regs, 5.17+, on x86-64) or
// --unwind=eh_frame, profile walks user stacks in BPF itself with unwind
// tables core/unwind builds from each binary's .eh_frame (one table per
// binary by build-id, shared by every process mapping it), taking the
// frame-pointer step where a binary has no table (Go binaries keep frame
// pointers). Tables of -p's process load before sampling starts; other
// processes' mapping lists load in the background when first sampled,
// and a binary's table when the walker first steps into it (only the
// binaries samples reach get one); samples until then walk frame pointers
// there (-v counts them). Stacks longer than 127 frames are truncated and
// counted on stderr; -v names every binary that got a table and its size.
// --unwind=fp is bcc's walk.
//
// The same program (built -O2 -fomit-frame-pointer, hot in a qsort
// comparator) with both walks, on the development machine:
//
//	# profile -p 16919 -U -F 99 -v 2
//	profile: user stacks: .eh_frame walk in BPF (--unwind=auto), frame pointers where a binary has no table
//	...
//	profile: unwind table 1 for /tmp/uwsc/hot: 29 rows from 7 FDEs, 0 KiB, loaded in 0s (build-id 2c2877248b8cd9f077a71495ff5e7c9b8075376e)
//	profile: unwind table 2 for /usr/lib/x86_64-linux-gnu/libc.so.6: 28271 rows from 3713 FDEs, 441 KiB, loaded in 124ms (build-id 93ac61ec5a8eb1396f9fbd350e3169a558528a40)
//	profile: unwind table 3 for /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2: 2394 rows from 293 FDEs, 37 KiB, loaded in 17ms (build-id 7ebc65e52f2bbea498b4040fa92f7238377aaba9)
//	profile: sampling with a cpu-clock perf event on each CPU (perf_event BPF program); kernel stacks from bpf_get_stackid, user stacks from the .eh_frame walker
//	...
//	    cmp_hot
//	    msort_with_tmp.part.0
//	    msort_with_tmp.part.0
//	    msort_with_tmp.part.0
//	    qsort_r
//	    main
//	    __libc_start_call_main
//	    __libc_start_main_impl
//	    _start
//	    -                hot (16919)
//	        15
//
//	profile: unwind tables: 3 binaries, 30694 rows, 479 KiB, for 1 processes
//	profile: user stacks walked: 118 (0 before their process's mappings were loaded: frame pointers); frames: 1305 from tables, 0 by frame pointers (0 of them in binaries whose table was being built); 0 lost to hash collisions
//
//	# profile -p 16919 -U -f --unwind=fp 2
//	hot;__memmove_avx512_unaligned_erms 1
//	hot;cmp_hot 53
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
