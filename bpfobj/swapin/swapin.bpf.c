//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* swapin: swap-ins counted by process in a BPF hash map, printed every
 * interval, as bcc's swapin: one count per swap_read_folio() (before
 * 6.9 swap_readpage()) by fentry, else kprobe. Where neither attaches,
 * the memcg:count_memcg_events tracepoint (6.13+) for the PSWPIN event:
 * one count per folio read from a swap device (zswap hits and zero-filled
 * pages are not reads, and are not seen). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "swapin.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct swapin_key);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int count(void)
{
	static const __u64 one = 1;
	struct swapin_key k = {.pid = bpf_get_current_pid_tgid() >> 32};
	__u64 *n;

	if (targ_pid && k.pid != targ_pid)
		return 0;
	bpf_get_current_comm(k.comm, sizeof(k.comm));
	n = bpf_map_lookup_elem(&counts, &k);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return 0;
	}
	/* EEXIST: another CPU made the key first; count there. */
	if (update_counted(&counts, &k, &one, BPF_NOEXIST, SWAPIN_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, &k);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 0;
}

SEC("fentry/swap_read_folio")
int BPF_PROG(fentry_swap_read_folio)
{
	return count();
}

SEC("fentry/swap_readpage")
int BPF_PROG(fentry_swap_readpage)
{
	return count();
}

SEC("kprobe/swap_read_folio")
int kprobe_swap_read(void *ctx)
{
	return count();
}

/* enum vm_event_item's PSWPIN as the running kernel numbers it. */
static __always_inline bool is_pswpin(int item)
{
	return item == bpf_core_enum_value(enum vm_event_item, PSWPIN);
}

SEC("tp_btf/count_memcg_events")
int BPF_PROG(tp_btf_count_memcg_events, struct mem_cgroup *memcg, int item, unsigned long val)
{
	return is_pswpin(item) ? count() : 0;
}

/* memcg:count_memcg_events: u64 id; int item; unsigned long val. */
struct count_memcg_events_args {
	__u64 common;
	__u64 id;
	int item;
	unsigned long val;
};

SEC("tracepoint/memcg/count_memcg_events")
int tp_count_memcg_events(struct count_memcg_events_args *ctx)
{
	return is_pswpin(ctx->item) ? count() : 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
