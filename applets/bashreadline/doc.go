// Package bashreadline prints the commands typed into interactive bash
// shells, as libbpf-tools' bashreadline does: a uretprobe on readline()
// returns each line entered. The readline is bash's own (/bin/bash, or the
// process's binary through /proc/PID/root with -p) where bash carries
// one, else the libreadline bash links, found as the dynamic loader finds
// it (or named with -s); in a shared library only bash's calls are kept.
//
// A shell already waiting at its prompt when tracing starts is inside a
// readline() call the probe did not see begin, so that one line is
// missed; every later line is shown. Lines are escaped: a typed line can
// carry terminal control sequences.
//
// --json fields: time, timestamp_ns (CLOCK_MONOTONIC), pid, uid, comm,
// command, cgroup_id.
//
// On the development machine (6.18, uretprobe on /bin/bash's readline):
//
//	# bashreadline
//	TIME      PID     COMMAND
//	00:47:21  29389   echo hello-pbx
//	00:47:22  29389   exit
package bashreadline
