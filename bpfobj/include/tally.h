/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Key of the tallies map (tally.bpf.h), shared with applets/exporter. */
#ifndef PROBEBOX_TALLY_H
#define PROBEBOX_TALLY_H

/* map_full slot of the tallies map: the last one, which no tool's own
 * bounded maps use. */
#define PB_TALLY_FULL_SLOT 3

struct tally_key {
	__u8 addr[16]; /* network order, IPv4 in the first 4 bytes; 0 unless tally_addr */
	__u16 af;      /* AF_INET, AF_INET6, or 0 */
	__u16 port;    /* host order; 0 unless tally_port */
	__u32 kind;    /* the tool's own numbering (tcpretrans: its type) */
};

#endif
