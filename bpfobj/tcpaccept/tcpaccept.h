/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by tcpaccept.bpf.c and applets/tcpaccept. */
#ifndef TCPACCEPT_H
#define TCPACCEPT_H

struct tcpaccept_event {
	__u64 ts_ns;
	__u32 pid; /* tgid of the accepting task */
	__u32 tid;
	__u16 af;
	__u16 lport; /* host order */
	__u16 rport; /* host order */
	__u16 pad;
	__u8 laddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 raddr[16];
	char comm[16];
};

#endif
