/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Counting mode for tools that otherwise stream events: with tally_mode
 * set, the program adds one to a counter keyed by kind, address family
 * and, when asked (tally_port, tally_addr), port and address, and emits
 * nothing. `probebox exporter` reads the tallies map at scrape time.
 *
 * The map is sized by user space (1 key unless tally mode asks for more);
 * an insert it refuses is counted in map_full's PB_TALLY_FULL_SLOT. */
#ifndef PROBEBOX_TALLY_BPF_H
#define PROBEBOX_TALLY_BPF_H

#include <bpf/bpf_helpers.h>
#include "mapfull.bpf.h"
#include "tally.h"

const volatile bool tally_mode = false;
const volatile bool tally_port = false;
const volatile bool tally_addr = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct tally_key);
	__type(value, __u64);
} tallies SEC(".maps");

static __always_inline void tally(__u32 kind, __u16 af, __u16 port, const __u8 *addr)
{
	struct tally_key k = {};
	__u64 one = 1, *n;

	k.kind = kind;
	k.af = af;
	if (tally_port)
		k.port = port;
	if (tally_addr && addr)
		__builtin_memcpy(k.addr, addr, sizeof(k.addr));
	n = bpf_map_lookup_elem(&tallies, &k);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (update_counted(&tallies, &k, &one, BPF_NOEXIST, PB_TALLY_FULL_SLOT) != -PB_EEXIST)
		return;
	/* Another CPU added the key between the lookup and the update. */
	n = bpf_map_lookup_elem(&tallies, &k);
	if (n)
		__sync_fetch_and_add(n, 1);
}

#endif /* PROBEBOX_TALLY_BPF_H */
