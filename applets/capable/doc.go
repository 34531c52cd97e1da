// Package capable traces security capability checks (cap_capable()) with
// their verdict, as libbpf-tools' capable does: every check, audited or
// not, with the AUDIT column saying which. -x adds TID and INSETID; -u pid
// or -u cgroup reports each capability once per process or cgroup,
// decided in the kernel. capable's own checks are left out.
//
// Hooks: kprobe and kretprobe on cap_capable() where the kernel has
// kprobes (they see the caller's audit and insetid options); otherwise
// the capability:cap_capable tracepoint of Linux 6.14+, which has the
// verdict but not the options, so AUDIT and INSETID print as "-" (and are
// absent from --json).
//
// -K and -U add the kernel and user stack of each check under its line, a
// frame a line indented eight spaces (named by the shared symbolizer,
// core/syms; a process that has exited by then has "[unknown]" user
// frames, and a stack the map could not store prints "[Missed Kernel
// Stack]" and is counted). User stacks are the kernel's frame-pointer
// walk: they stop at the first library built without frame pointers.
//
// --json fields: time, timestamp_ns, uid, pid, tid, comm, cap, name,
// audit and insetid (booleans, when known), verdict ("allow"/"deny"),
// ret, cgroup_id; kernel_stack and user_stack (frame lists) with -K/-U.
//
// On the development machine (6.18, tp_btf; no kprobes):
//
//	# capable -x
//	TIME     UID   PID     TID     COMM             CAP     NAME                 AUDIT   VERDICT INSETID
//	21:29:35 0     23254   23261   syms.test        34      CAP_SYSLOG           -       allow   -
//	21:29:35 0     22866   22866   bash             21      CAP_SYS_ADMIN        -       allow   -
//
//	# capable -K -U
//	TIME     UID   PID     COMM             CAP     NAME                 AUDIT   VERDICT
//	03:59:05 0     17885   bpftrace         21      CAP_SYS_ADMIN        -       allow
//	        cap_capable+0x83
//	        security_vm_enough_memory_mm+0x36
//	        do_brk_flags+0xb0
//	        __do_sys_brk+0x36b
//	        do_syscall_64+0x71
//	        entry_SYSCALL_64_after_hwframe+0x76
//	        brk+0x7
package capable
