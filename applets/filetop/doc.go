// Package filetop shows reads and writes by thread and file, refreshed
// every interval, as libbpf-tools' filetop does: counts and requested
// bytes are summed per file and thread in a BPF map and only the top rows
// are copied out. Only regular files unless -a (then S for sockets, O for
// others such as pipes, whose dentries have no name). The screen is
// cleared before each refresh only when stdout is a terminal (and not
// with -C).
//
// Hooks, best first: fentry, else kprobe, on vfs_read and vfs_write; where
// the kernel has neither (the development machine), the read, pread64,
// write and pwrite64 syscall tracepoints, the file found from the
// descriptor: that stand-in does not see in-kernel readers and writers
// (exec, splice, nfsd, io_uring); -v and `probebox features` say so.
//
// On the development machine (6.18), Go builds running:
//
//	# filetop -C -r 6 1 1
//	21:06:06 loadavg: 11.84 13.93 10.53 13/217 20102
//
//	TID     COMM             READS  WRITES R_Kb    W_Kb    T FILE
//	16788   go               107    5      3230    6       R _pkg_.a
//	16782   go               70     0      2189    0       R _pkg_.a
//	16782   go               0      57     0       1773    R 8b3a5b565cd99363e76477d9b3b6235cc1beb68c59ca50f21ba6f73f7661b4d
//	16786   go               16     2      314     0       R _pkg_.a
//	20085   vet              3      0      223     0       R c58d3e46f56f69b87acfad9ad3aec855b579e65ade19f726c7460bbcb9d7215
//	20083   vet              3      0      180     0       R 5853cdfde204a4ab4ca693b12029b0d11bc997dd2afbdcc388522da2bc061f7
//
// --json prints one object per interval: time, loadavg, rows ({"pid",
// "tid","comm","reads","writes","read_bytes","write_bytes","type","file",
// "inode"}, in -s order, at most -r), not_counted {"entries": N}.
package filetop
