// Package syscount counts system calls in the kernel, by syscall or by
// process (-P), with their total latency (-L), as libbpf-tools' syscount
// does; bcc's -t/--tid is accepted too. Counting happens in a BPF hash
// map (read and cleared with one batch operation each interval); no event
// reaches user space per syscall.
//
// Syscall names come from core/sysnames: a table per architecture,
// generated from golang.org/x/sys/unix's per-architecture syscall numbers
// (the kernel's uapi), chosen by GOARCH at build time, so an arm64 build
// names arm64's numbers. -v says which table is in use; -l lists it.
//
// --json prints one object per summary: summary (1-based), time, by
// ("syscall" or "process"), rows [{syscall, nr | pid, comm; count;
// total_us or total_ms with -L}], top first, and not_counted {"counts": N,
// "start": N}: syscalls a full map kept out (also said on stderr).
//
// On the development machine (6.18, raw_syscalls tracepoints):
//
//	# syscount -d 2 -T 6
//	Tracing syscalls, printing top 6... Ctrl+C to quit.
//	[21:08:04]
//	SYSCALL                   COUNT
//	fcntl                      6151
//	read                       4787
//	rt_sigaction               4392
//	nanosleep                  4338
//	futex                      3754
//	newfstatat                 3108
//
//	# syscount -L -m -d 2 -T 4
//	SYSCALL                   COUNT        TIME (ms)
//	futex                      2819        45763.618
//	epoll_pwait                 788         9129.873
//	nanosleep                  2893         8041.241
//	waitid                        9         2758.385
package syscount
