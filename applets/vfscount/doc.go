// Package vfscount counts calls of the kernel's vfs_* functions by
// function until Ctrl-C, as bcc's vfscount does, in a BPF hash map.
//
// Hooks, best first: one kprobe program on each of 20 common vfs
// functions (vfs_read, vfs_write, vfs_open, vfs_statx, ...), keyed by the
// function's address; where the kernel has no kprobes (the development
// machine), the system calls that lead to those functions (one program on
// raw_syscalls sys_enter, a raw tracepoint where the kernel has them, with
// core/vfssys's table of the calls, shared with vfsstat), counted under
// the function they lead to. That stand-in counts calls made (failed ones
// too; opens with O_CREAT as vfs_create), not functions run, and does not
// see in-kernel callers; -v and `probebox features` say so.
//
// On the development machine (6.18, syscall stand-in), the last rows:
//
//	# vfscount
//	Tracing... Ctrl-C to end.
//	^C
//	ADDR             FUNC                          COUNT
//	...
//	ffffffff816ec4d0 vfs_create                       82
//	ffffffff816ec720 vfs_mkdir                       206
//	ffffffff816d5520 vfs_llseek                      299
//	ffffffff816e1b20 vfs_fstat                       935
//	ffffffff816d8a50 vfs_write                      3369
//	ffffffff816d4210 vfs_open                       3802
//	ffffffff816e19a0 vfs_statx                      6180
//	ffffffff816d80f0 vfs_read                      11196
//
// -p PID (not in bcc) counts one process, in the kernel. --json prints one
// object at Ctrl-C: counts [{"addr" (hex), "func", "count"}] ascending,
// not_counted {"counts": N} (calls of functions the full map had no room
// for).
package vfscount
