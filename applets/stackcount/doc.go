// Package stackcount counts the stacks that reach an event, as bcc's
// stackcount does: tracepoints (t:group:event), user functions through
// uprobes (c:malloc, lib:func, p:/path:func, u:/path:func; functions are
// found by core/syms, so stripped binaries with debug files and stripped
// Go binaries work), and kernel functions through kprobes where the kernel
// has them (where it does not, one line says so and the exit status is 1).
// Patterns take * and ? wildcards, or regular expressions with -r.
//
// Counting is in BPF (a counts map keyed by process and stack ids); the
// stacks are printed at Ctrl-C, at -D DURATION, or every -i INTERVAL
// (the maps are then cleared). Lost stacks and full maps are reported.
// u:lib:probe names a USDT probe as in bcc ('u:BIN:provider:probe' too);
// where no USDT probe of lib matches, a function of that name.
//
// User stacks (--unwind, as in profile): by default (auto) they are
// walked in BPF with .eh_frame unwind tables (core/unwind,
// bpfobj/include/unwind.bpf.h), so code built without frame pointers
// (most of Debian's libc and programs) shows whole; --unwind=fp is bcc's
// frame-pointer walk, which stops at the first such function. -p's
// tables load before the probes are attached; other processes' mapping
// lists load in the background on their first event, and a binary's table
// when the walker first steps into it; their stacks until then walk frame
// pointers there (-v counts them and names every binary's table).
//
//	# stackcount -p 18215 -U -v -D 1 c:qsort     (hot: -O2 -fomit-frame-pointer)
//	stackcount: user stacks: .eh_frame walk in BPF (--unwind=auto), frame pointers where a binary has no table
//	stackcount: unwind table 1 for /tmp/uwsc/hot: 29 rows from 7 FDEs, 0 KiB, loaded in 3ms (build-id 2c2877248b8cd9f077a71495ff5e7c9b8075376e)
//	stackcount: unwind table 2 for /usr/lib/x86_64-linux-gnu/libc.so.6: 28271 rows from 3713 FDEs, 441 KiB, loaded in 82ms (build-id 93ac61ec5a8eb1396f9fbd350e3169a558528a40)
//	stackcount: unwind table 3 for /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2: 2394 rows from 293 FDEs, 37 KiB, loaded in 25ms (build-id 7ebc65e52f2bbea498b4040fa92f7238377aaba9)
//	stackcount: attached uprobe qsort
//	Tracing 1 functions for "c:qsort"... Hit Ctrl-C to end.
//	  7f56ee93efd0 qsort
//	  55e9311030ed main
//	  7f56ee92624a __libc_start_call_main
//	  7f56ee926305 __libc_start_main_impl
//	  55e931103141 _start
//	    270
//
//	stackcount: unwind tables: 3 binaries, 30694 rows, 479 KiB, for 1 processes
//	stackcount: user stacks walked: 277 (0 before their process's mappings were loaded: frame pointers); frames: 1108 from tables, 0 by frame pointers (0 of them in binaries whose table was being built); 0 lost to hash collisions
//
//	# stackcount -p 18215 -U -D 1 --unwind=fp c:qsort
//	Tracing 1 functions for "c:qsort"... Hit Ctrl-C to end.
//	  qsort
//	    155
//
// Output on the development machine (6.18: no kprobes):
//
//	# stackcount -P -D 2 t:sched:sched_process_exec
//	Tracing 1 functions for "t:sched:sched_process_exec"... Hit Ctrl-C to end.
//	  bprm_execve
//	  do_execveat_common.isra.0
//	  __x64_sys_execve
//	  do_syscall_64
//	  entry_SYSCALL_64_after_hwframe
//	  [unknown]
//	    git [19090]
//	    1
//
//	# stackcount submit_bio
//	stackcount: kernel function "submit_bio" needs kprobes: this kernel has no kprobes (CONFIG_KPROBES is off); count a tracepoint instead (stackcount t:GROUP:EVENT; tplist lists them)
package stackcount
