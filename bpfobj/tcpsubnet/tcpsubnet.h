/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Layouts shared by tcpsubnet.bpf.c and applets/tcpsubnet. */
#ifndef TCPSUBNET_H
#define TCPSUBNET_H

#define TCPSUBNET_MAX_NETS 64

/* One subnet of the command line: addr & mask == net, in network order;
 * IPv4 uses the first 4 bytes (the rest of mask is zero). */
struct tcpsubnet_net {
	__u8 net[16];
	__u8 mask[16];
	__u16 family;
	__u16 pad[3];
};

#endif
