//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* dcsnoop: directory entry cache lookups, as bcc's and libbpf-tools'
 * dcsnoop: every failed d_lookup() (a miss: the name was not cached) and,
 * with -a, every lookup_fast() of a path walk (a reference). No
 * tracepoint sees either, so the hooks are fentry/fexit, else kprobes. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "dcsnoop.h"

const volatile struct dcsnoop_event *unused_event __attribute__((unused));

const volatile __u32 targ_pid = 0; /* -p; 0: every process */
const volatile __u32 targ_tid = 0; /* -t; 0: every thread */

struct dcsnoop_name {
	char s[DCSNOOP_NAME_LEN];
};

/* The name a kprobe'd d_lookup is looking for, by thread, until it
 * returns (the qstr may be gone by then). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct dcsnoop_name);
} names SEC(".maps");

static __always_inline bool skip(__u64 id)
{
	return (targ_pid && (id >> 32) != targ_pid) || (targ_tid && (__u32)id != targ_tid);
}

static __always_inline void fill(struct dcsnoop_event *ev, __u64 id, __u32 type)
{
	ev->ts_ns = bpf_ktime_get_ns();
	ev->pid = id >> 32;
	ev->tid = id;
	ev->type = type;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

/* A path walk step: nd->last is the component looked up (its name runs
 * on to the end of the path). */
static __always_inline int reference(void *ctx, struct nameidata *nd)
{
	struct dcsnoop_event ev = {};
	__u64 id = bpf_get_current_pid_tgid();

	if (skip(id))
		return 0;
	fill(&ev, id, DCSNOOP_REFERENCE);
	bpf_probe_read_kernel_str(ev.name, sizeof(ev.name), BPF_CORE_READ(nd, last.name));
	emit(ctx, &ev, sizeof(ev));
	return 0;
}

SEC("fentry/lookup_fast")
int BPF_PROG(fentry_lookup_fast, struct nameidata *nd)
{
	return reference(ctx, nd);
}

SEC("kprobe/lookup_fast")
int kprobe_lookup_fast(void *ctx)
{
	return reference(ctx, (struct nameidata *)pb_reg_arg(ctx, 0));
}

/* d_lookup(parent, name) returning NULL: not in the dcache. */
SEC("fexit/d_lookup")
int BPF_PROG(fexit_d_lookup, const struct dentry *parent, const struct qstr *name, struct dentry *ret)
{
	struct dcsnoop_event ev = {};
	__u64 id = bpf_get_current_pid_tgid();

	if (ret || skip(id))
		return 0;
	fill(&ev, id, DCSNOOP_MISS);
	bpf_probe_read_kernel_str(ev.name, sizeof(ev.name), BPF_CORE_READ(name, name));
	emit(ctx, &ev, sizeof(ev));
	return 0;
}

SEC("kprobe/d_lookup")
int kprobe_d_lookup(void *ctx)
{
	struct qstr *name = (struct qstr *)pb_reg_arg(ctx, 1);
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = id;
	struct dcsnoop_name n = {};

	if (skip(id))
		return 0;
	bpf_probe_read_kernel_str(n.s, sizeof(n.s), BPF_CORE_READ(name, name));
	update_counted(&names, &tid, &n, BPF_ANY, DCSNOOP_FULL_NAMES);
	return 0;
}

SEC("kretprobe/d_lookup")
int kretprobe_d_lookup(void *ctx)
{
	struct dcsnoop_event ev = {};
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = id;
	struct dcsnoop_name *n = bpf_map_lookup_elem(&names, &tid);

	if (!n)
		return 0;
	if (!pb_reg_ret(ctx)) {
		fill(&ev, id, DCSNOOP_MISS);
		__builtin_memcpy(ev.name, n->s, sizeof(ev.name));
		emit(ctx, &ev, sizeof(ev));
	}
	bpf_map_delete_elem(&names, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
