/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcpcong.bpf.c and applets/tcpcong. */
#ifndef TCPCONG_H
#define TCPCONG_H

#define TCPCONG_STATES 5 /* enum tcp_ca_state: open, disorder, cwr, recovery, loss */
#define TCPCONG_MAX_SLOTS 32

/* map_full slots (mapfull.bpf.h) */
#define TCPCONG_FULL_SOCKS 0
#define TCPCONG_FULL_STATS 1
#define TCPCONG_FULL_HISTS 2

struct tcpcong_key {
	__u8 laddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 raddr[16];
	__u16 lport; /* host order */
	__u16 rport;
	__u16 family;
	__u16 pad;
};

struct tcpcong_stat {
	__u64 ns[TCPCONG_STATES]; /* time spent in each state, ended this interval */
	__u64 changes;
};

struct tcpcong_hist {
	__u32 slots[TCPCONG_MAX_SLOTS];
};

#endif
