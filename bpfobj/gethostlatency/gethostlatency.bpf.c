//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* gethostlatency: name lookups through the C library (getaddrinfo,
 * gethostbyname, gethostbyname2) with their latency: a uprobe keeps the
 * host name and start time per thread, the uretprobe sends the event. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "gethostlatency.h"

const volatile __u32 filter_pid = 0; /* tgid; 0: any */

struct start {
	__u64 ts;
	__u32 func;
	__u32 pad;
	char host[GHL_HOST_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32); /* tid */
	__type(value, struct start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct start);
} start_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct host_event);
} scratch SEC(".maps");

/* The first argument of all three functions is the host name. One
 * program per function says which it is (attach cookies would need 5.15). */
static __always_inline int on_entry(struct pt_regs *ctx, __u32 func)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, zero = 0;
	struct start *s;

	if (filter_pid && (__u32)(id >> 32) != filter_pid)
		return 0;
	if (!cgroup_allowed())
		return 0;
	s = bpf_map_lookup_elem(&start_scratch, &zero);
	if (!s)
		return 0;
	s->ts = bpf_ktime_get_ns();
	s->func = func;
	s->pad = 0;
	if (bpf_probe_read_user_str(s->host, sizeof(s->host), (void *)pb_reg_arg(ctx, 0)) < 0)
		s->host[0] = 0;
	update_counted(&starts, &tid, s, BPF_ANY, GHL_FULL_STARTS);
	return 0;
}

SEC("uprobe")
int uprobe_getaddrinfo(struct pt_regs *ctx)
{
	return on_entry(ctx, GHL_GETADDRINFO);
}

SEC("uprobe")
int uprobe_gethostbyname(struct pt_regs *ctx)
{
	return on_entry(ctx, GHL_GETHOSTBYNAME);
}

SEC("uprobe")
int uprobe_gethostbyname2(struct pt_regs *ctx)
{
	return on_entry(ctx, GHL_GETHOSTBYNAME2);
}

SEC("uretprobe")
int uretprobe_lookup(struct pt_regs *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct host_event *e;
	struct start *s;
	__u64 now = bpf_ktime_get_ns();

	s = bpf_map_lookup_elem(&starts, &tid);
	if (!s)
		return 0;
	e = event_reserve(&scratch, sizeof(*e));
	if (!e) {
		bpf_map_delete_elem(&starts, &tid);
		return 0;
	}
	e->ts_ns = now;
	e->lat_ns = now - s->ts;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->func = s->func;
	e->pad = 0;
	e->ret = (__s64)pb_reg_ret(ctx);
	if (e->func != GHL_GETADDRINFO)
		e->ret = e->ret != 0; /* a pointer: found or not */
	else
		e->ret = (__s32)e->ret;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->tid = tid;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	__builtin_memcpy(e->host, s->host, sizeof(e->host));
	bpf_map_delete_elem(&starts, &tid);
	event_submit(ctx, e, sizeof(*e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
