// Package sofdsnoop traces file descriptors passed over sockets
// (SCM_RIGHTS), one line per descriptor, as libbpf-tools' and bcc's
// sofdsnoop print them: ACTION (SEND or RECV), TID, COMM, SOCKET
// ("fd:socket:[inode]"), FD (the sender's descriptor, or the one the
// receiver got) and NAME. -T adds seconds since the start; -p, -t, -n
// (and -c cgroup) filter in the kernel; -d ends after that many seconds.
//
// NAME is what /proc/PID/fd/FD links to when that still leads to the
// file the kernel saw (same inode), else what the kernel saw at the call:
// socket:[inode], pipe:[inode], anon_inode:NAME, or the file's own name
// without its directories; N/A when the descriptor was not open. Unlike
// the peers, received descriptors are named too (the kernel has installed
// them when recvmsg returns).
//
// Hooks: the sendmsg and recvmsg syscall tracepoints (the peers use
// kprobes on the same syscalls); the exits read the control messages
// from the caller's memory. Not seen: sendmmsg/recvmmsg, io_uring, 32-bit
// callers; at most 32 descriptors per control message are shown (the
// rest are counted on stderr).
//
// --json prints one object per descriptor: timestamp_ns, time_s (-T),
// action, pid, tid, comm, sock_fd, socket, fd, name, index, total.
//
// On the development machine (6.18), `sofdsnoop -T` while Python sent
// /etc/hostname and a pipe's read end over a socket pair and received
// them:
//
//	TIME(s)       ACTION TID    COMM             SOCKET                    FD    NAME
//	5.815970765   SEND   26849  python3          3:socket:[1989126]        5     /etc/hostname
//	5.815970765   SEND   26849  python3          3:socket:[1989126]        6     pipe:[1989128]
//	5.816005540   RECV   26849  python3          4:socket:[1989127]        8     /etc/hostname
//	5.816005540   RECV   26849  python3          4:socket:[1989127]        9     pipe:[1989128]
package sofdsnoop
