//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tcpstates: every TCP state change with the time spent in the state it
 * leaves, from sock:inet_sock_set_state. The last change per socket is
 * kept in `last` (a plain hash whose refused inserts are counted) until
 * the socket reaches CLOSE. Family and port filters run here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "tcpstate.bpf.h"
#include "tcpstates.h"

PBX_PORT_FILTER(filter_lports) /* -L */
PBX_PORT_FILTER(filter_rports) /* -D */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} last SEC(".maps");

/* Names the struct in the object's BTF for bpf2go's -type. */
const struct tcpstates_event *unused_event __attribute__((unused));

static __always_inline int on_state(void *ctx, const struct sock *sk, int oldstate, int newstate)
{
	__u64 key = (__u64)sk, now = bpf_ktime_get_ns(), *prev;
	struct tcpstates_event e = {};
	struct sk_tuple t = {};

	if (read_sk_tuple(sk, &t) || !family_allowed(t.af))
		return 0;
	if (!filter_lports_allowed(t.lport) || !filter_rports_allowed(t.rport))
		return 0;
	prev = bpf_map_lookup_elem(&last, &key);
	if (prev)
		e.delta_ns = now - *prev;
	if (newstate == PBX_TCP_CLOSE)
		bpf_map_delete_elem(&last, &key);
	else
		update_counted(&last, &key, &now, BPF_ANY, TCPSTATES_FULL_LAST);
	e.skaddr = key;
	e.ts_ns = now;
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.af = t.af;
	e.lport = t.lport;
	e.rport = t.rport;
	e.oldstate = oldstate;
	e.newstate = newstate;
	__builtin_memcpy(e.laddr, t.laddr, sizeof(e.laddr));
	__builtin_memcpy(e.raddr, t.raddr, sizeof(e.raddr));
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	emit(ctx, &e, sizeof(e));
	return 0;
}

PBX_SET_STATE_PROGRAMS(on_state)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
