//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fsdist: latency histograms of a file system's read, write, open, fsync
 * and getattr, one array slot per operation, copied out and cleared at
 * each interval. fentry/fexit pairs, else kprobe/kretprobe pairs, on the
 * file system's functions (user space sets the fentry targets). -p
 * applies at entry. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "fsdist.h"
#define FSOPS_FULL_SLOT FSDIST_FULL_STARTS
#include "fsops.bpf.h"

const volatile bool targ_ms = false; /* -m */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_OP_MAX);
	__type(key, __u32);
	__type(value, struct fsdist_hist);
} hists SEC(".maps");

static __always_inline int entry(void)
{
	return fs_entry(NULL, 0);
}

static __always_inline int done(__u32 op)
{
	struct fsdist_hist *h;
	struct fs_start s;
	__u64 delta, slot;

	if (!fs_exit(&s))
		return 0;
	h = bpf_map_lookup_elem(&hists, &op);
	if (!h)
		return 0;
	delta = bpf_ktime_get_ns() - s.ts;
	delta /= targ_ms ? 1000000 : 1000;
	slot = log2_u64(delta);
	if (slot >= FSDIST_MAX_SLOTS)
		slot = FSDIST_MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

#define OP_PROGS(name, op)                                                   \
	SEC("fentry") int BPF_PROG(fentry_##name) { return entry(); }       \
	SEC("fexit") int BPF_PROG(fexit_##name) { return done(op); }        \
	SEC("kprobe") int kprobe_##name(void *ctx) { return entry(); }      \
	SEC("kretprobe") int kretprobe_##name(void *ctx) { return done(op); }

OP_PROGS(read, FS_OP_READ)
OP_PROGS(write, FS_OP_WRITE)
OP_PROGS(open, FS_OP_OPEN)
OP_PROGS(fsync, FS_OP_FSYNC)
OP_PROGS(getattr, FS_OP_GETATTR)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
