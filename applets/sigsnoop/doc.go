// Package sigsnoop traces signals as libbpf-tools' sigsnoop does: by
// default every signal the kernel generates (signal:signal_generate), from
// any sender, with the kernel's verdict as RESULT (0 delivered, 1 ignored,
// 2 already pending, 3 queue overflow, 4 info lost); with -k only the
// kill(), tkill() and tgkill() syscalls, with their return value (0 or
// -errno). killsnoop (applets/killsnoop) is sigsnoop -k.
//
// Filters run in the kernel: -p (sender), -s (signal set), -x, -c.
//
// --json fields: time, timestamp_ns (CLOCK_MONOTONIC), pid and tid (the
// sender), comm, sig, sig_name, tpid (as given: kill() takes negative
// process groups), tcomm, result, result_name ("delivered", "ignored",
// ... for signal_generate; "ok" or the errno's name for the syscalls),
// source ("signal_generate", "kill", "tkill", "tgkill").
//
// On the development machine (6.18, tp_btf):
//
//	# sigsnoop -s 10,15,18
//	TIME     PID     COMM             SIG          TPID    TCOMM            RESULT
//	20:58:37 30206   bash             15           30536   sleep            0
//	20:58:37 30206   bash             10           30537   bash             0
//	20:58:37 30206   bash             18           16484   bash             1
//	20:58:38 30480   timeout          18           30488   killsnoop        1
package sigsnoop
