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
// absent from --json). -K/-U stacks are not implemented.
//
// --json fields: time, timestamp_ns, uid, pid, tid, comm, cap, name,
// audit and insetid (booleans, when known), verdict ("allow"/"deny"),
// ret, cgroup_id.
//
// On the development machine (6.18, tp_btf; no kprobes):
//
//	# capable -x
//	TIME     UID   PID     TID     COMM             CAP     NAME                 AUDIT   VERDICT INSETID
//	21:29:35 0     23254   23261   syms.test        34      CAP_SYSLOG           -       allow   -
//	21:29:35 0     22866   22866   bash             21      CAP_SYS_ADMIN        -       allow   -
package capable
