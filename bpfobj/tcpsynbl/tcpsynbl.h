/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcpsynbl.bpf.c and applets/tcpsynbl. */
#ifndef TCPSYNBL_H
#define TCPSYNBL_H

#define TCPSYNBL_MAX_SLOTS 32
#define TCPSYNBL_FULL_HISTS 0 /* map_full slot (mapfull.bpf.h) */

/* hists is keyed by the listener's backlog limit (sk_max_ack_backlog),
 * a __u64 as libbpf-tools keys it. */
struct tcpsynbl_hist {
	__u32 slots[TCPSYNBL_MAX_SLOTS];
};

#endif
