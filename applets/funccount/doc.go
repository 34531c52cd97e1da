// Package funccount counts the calls of everything a pattern matches, in
// the kernel, as bcc's funccount does: kernel functions ('vfs_*', with
// kprobes; compiler-renamed copies such as name.isra.0 found by their
// name), tracepoints ('t:sched:*') and user functions ('c:malloc',
// '/path/bin:func', 'p:lib:func'; -p PID restricts the uprobes to that
// process in the kernel and finds the library through the process's own
// mappings and root). One BPF program per probe kind serves every
// target: the attach cookie is the target's index in a per-CPU array.
// -i prints every interval, -d stops after a duration, -T adds the time,
// -r takes regular expressions (anchored at the start, as bcc's).
// USDT probes are named as bcc names them, 'u:BIN:probe' or
// 'u:BIN:provider:probe' (semaphores are counted up by the kernel while
// attached); where no USDT probe of BIN matches, u: names a function.
//
// On a kernel without kprobes and fentry (the development machine), a
// kernel-function pattern fails with one line saying so (exit 1).
//
// --json prints one object per summary: summary, time (with -T), counts
// [{func, count}] (smallest count first, as the text).
//
// Output on the development machine, funccount -d 1 't:syscalls:sys_enter_read*':
//
//	Tracing 5 functions for "t:syscalls:sys_enter_read*"... Hit Ctrl-C to end.
//
//	FUNC                                    COUNT
//	syscalls:sys_enter_readlinkat               1
//	syscalls:sys_enter_readlink                 2
//	syscalls:sys_enter_read                  4714
package funccount
