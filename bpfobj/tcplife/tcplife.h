/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcplife.bpf.c and applets/tcplife. */
#ifndef TCPLIFE_H
#define TCPLIFE_H

/* map_full slots (mapfull.bpf.h) */
#define TCPLIFE_FULL_BIRTH 0
#define TCPLIFE_FULL_IDENTS 1

struct tcplife_event {
	__u64 ts_ns;   /* CLOCK_MONOTONIC time of the close */
	__u64 span_ns; /* from the last of SYN_SENT/SYN_RECV/ESTABLISHED to CLOSE */
	__u64 rx_b;    /* tcp_sock bytes_received */
	__u64 tx_b;    /* tcp_sock bytes_acked */
	__u32 pid;     /* who opened (SYN_SENT) or closed (LAST_ACK), else current */
	__u16 af;
	__u16 lport; /* host order */
	__u16 rport; /* host order */
	__u16 pad;
	__u8 laddr[16]; /* network order; IPv4 in the first 4 bytes */
	__u8 raddr[16];
	char comm[16];
};

/* pow2_seconds mode (the exporter): closed sessions of one address
 * family, per CPU. span slot n holds [2^(n-20), 2^(n-19)) s; byte slot n
 * holds (2^(n-1), 2^n] bytes; the last slot holds everything above. */
#define TCPLIFE_MAX_SLOTS 40

struct tcplife_hist {
	__u64 span_slots[TCPLIFE_MAX_SLOTS];
	__u64 rx_slots[TCPLIFE_MAX_SLOTS];
	__u64 tx_slots[TCPLIFE_MAX_SLOTS];
	__u64 span_ns; /* sums */
	__u64 rx_b;
	__u64 tx_b;
};

struct tcplife_ident {
	__u32 pid;
	char comm[16];
};

#endif
