/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcpdrop.bpf.c and applets/tcpdrop. */
#ifndef TCPDROP_H
#define TCPDROP_H

struct tcpdrop_event {
	__u64 ts_ns;
	__u32 pid;      /* whoever ran when the packet was freed */
	__s32 stack_id; /* in `stacks`; negative when not recorded */
	__u32 reason;   /* enum skb_drop_reason; 0 where the kernel gives none */
	__u16 af;
	__u16 sport; /* host order, from the TCP header */
	__u16 dport;
	__u8 state;  /* socket's TCP state; 0 without a socket */
	__u8 flags;  /* TCP header flags (FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128) */
	__u8 saddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 daddr[16];
};

#endif
