// Package setuids traces the setuid and setgid syscall families
// (setuid, setreuid, setresuid, setfsuid and their gid twins): privilege
// changes, with the caller's uid before the call, the ids asked for and
// the result, in the form of bpftrace's setuids.bt. setfsuid/setfsgid
// return the previous fs id, printed as (prevuid=N). -p and -x apply in
// the kernel.
//
// --json fields: time, timestamp_ns, pid, tid, comm, uid and gid (the
// caller's, before the call), syscall, the call's arguments by name (uid;
// ruid, euid; ruid, euid, suid; gid...), ret (or prev for the fs calls).
//
// On the development machine (6.18, syscall tracepoints), a root python3
// dropping its euid, then failing to set its real uid:
//
//	# setuids
//	TIME     PID    COMM             UID    SYSCALL   ARGS (RET)
//	21:39:31 20670  python3          0      setresuid ruid=-1 euid=65534 suid=-1 (0)
//	21:39:31 20670  python3          0      setreuid  ruid=12345 euid=12345 (-1)
package setuids
