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
