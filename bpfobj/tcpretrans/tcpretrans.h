/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event and count-key layouts shared by tcpretrans.bpf.c and
 * applets/tcpretrans. Addresses are in network byte order; an IPv4 address
 * fills the first 4 bytes. */
#ifndef TCPRETRANS_H
#define TCPRETRANS_H

#define TCPRETRANS_RETRANSMIT 1 /* bcc's type R */
#define TCPRETRANS_TLP 2        /* tail loss probe, bcc's type L */

struct retrans_event {
	__u64 ts_ns;
	__u32 pid;    /* tgid of the current task; often 0 (timer softirq) */
	__u32 seq;    /* sequence number of the retransmitted segment */
	__u16 family; /* AF_INET or AF_INET6 */
	__u16 lport;  /* host byte order */
	__u16 dport;  /* host byte order */
	__u8 state;   /* TCP state, include/net/tcp_states.h */
	__u8 type;    /* TCPRETRANS_RETRANSMIT or TCPRETRANS_TLP */
	__u8 saddr[16];
	__u8 daddr[16];
};

/* -c: retransmits are counted in the kernel per flow. */
struct retrans_flow {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 family;
	__u16 lport;
	__u16 dport;
	__u16 pad;
};

#endif
