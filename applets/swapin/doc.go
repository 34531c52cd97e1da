// Package swapin counts swap-ins by process, printed every interval
// (default one second), as bcc's swapin does, in a BPF hash map.
//
// Hooks, best first: swap_read_folio (6.9+; before that swap_readpage)
// by fentry, else kprobe, one count per call as bcc counts; where the
// kernel has neither (the development machine, 6.18: no fentry, no
// kprobes), the memcg:count_memcg_events tracepoint (tp_btf, else tracefs;
// 6.13+) for the PSWPIN event, in the context of the process swapping in.
// That stand-in counts folios read from a swap device: swap-ins served by
// zswap or of zero-filled pages are not reads and are not seen; -v and
// `probebox features` say so.
//
// On the development machine, the live test's helper (40 MB of pages read
// back through a 16 MB memory cgroup, a swap area on a loop device):
//
//	# swapin
//	Counting swap ins. Ctrl-C to end.
//	...
//	00:54:39
//	COMM             PID    COUNT
//	pbxswapper       9040   9318
//
//	00:54:40
//	COMM             PID    COUNT
//	pbxswapper       9040   924
//
// -T leaves out the HH:MM:SS line; -p PID (not in bcc) counts one process,
// in the kernel. --json prints one object per interval: time, swapins
// [{"comm", "pid", "count"}] by count ascending, not_counted {"counts": N}
// (swap-ins of processes the full map had no room for).
package swapin
