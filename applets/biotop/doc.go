// Package biotop shows block device I/O by process, disk and direction,
// refreshed every interval as libbpf-tools' biotop does: the rows are summed
// in a BPF map (I/Os, bytes, issue-to-completion time) and only they are
// copied out. The process is the one that submitted the request, even
// where a kernel worker issues it (remembered at block_rq_insert). The
// screen is cleared before each refresh only when stdout is a terminal
// (and not with -C).
//
// On the development machine (6.18), dd writing 16 KiB and reading 128 KiB
// blocks with O_DIRECT on a loop device:
//
//	# biotop -C -r 5 2 1
//	20:53:31 loadavg: 12.02 8.78 4.34 17/178 16666
//
//	PID     COMM             D MAJ MIN DISK       I/O  Kbytes  AVGms
//	16608   dd               R 7   0   loop0      100   12800   1.60
//	44      kworker/1:1H     W 254 0   vda         12    7796   0.49
//	33      kworker/u8:1     W 254 0   vda         26    6696   0.42
//	16402   go               R 254 0   vda        185    4992   0.22
//	16588   dd               W 7   0   loop0      300    4800   0.44
//
// --json prints one object per interval:
//
//	time        local time "HH:MM:SS"
//	loadavg     /proc/loadavg's line
//	rows        the top -r rows, in -s order: {"pid","comm","d" ("R"/"W"),
//	            "major","minor","disk","io","bytes","kbytes","avg_ms"}
//	not_counted {"counts","starts","blk_whos"}: requests a full map kept
//	            out of the interval (also said on stderr)
//
// -s all sorts by I/Os + bytes + microseconds summed, as libbpf-tools does.
// -p applies in the kernel, to the submitting process.
package biotop
