// Package sockstat counts the sockets of a network namespace by protocol,
// family and state, a probebox addition in the manner of `ss -s`: the
// counts come from the kernel's sock_diag netlink interface (what ss
// uses), one summary now or every interval, in text or --json. It needs
// no BPF: the kernel keeps these sockets in tables sock_diag walks.
//
// -N PATH counts in another namespace (/run/netns/NAME,
// /proc/PID/ns/net: a container's).
//
// --json prints one object per summary: summary, time (-T), netns (the
// namespace's inode), sockets [{"proto","family","state","count"}],
// total.
//
// On the development machine (6.18), `sockstat` in its container's
// namespace:
//
//	PROTO          FAMILY STATE             COUNT
//	tcp            inet   LISTEN                2
//	unix-stream    unix   ESTABLISHED           2
//	Total: 4
package sockstat
