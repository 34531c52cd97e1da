//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* vfscount: calls of vfs_* functions counted by function in the counts
 * map, printed at Ctrl-C, as bcc's vfscount. One kprobe program attached
 * to each function, keyed by the function's address; where the kernel has
 * no kprobes, the system calls that lead to those functions (one program
 * on sys_enter, vfssys.bpf.h), keyed by the function they lead to (a
 * stand-in: calls made, not functions run). -p applies here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "vfscount.h"

const volatile __u32 targ_pid = 0; /* -p; 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct vfscount_key);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline int count(struct vfscount_key *k)
{
	static const __u64 one = 1;
	__u64 *n;

	if (targ_pid && (bpf_get_current_pid_tgid() >> 32) != targ_pid)
		return 0;
	n = bpf_map_lookup_elem(&counts, k);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return 0;
	}
	/* EEXIST: another CPU made the key first; count there. */
	if (update_counted(&counts, k, &one, BPF_NOEXIST, VFSCOUNT_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, k);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 0;
}

SEC("kprobe")
int kprobe_vfs(struct pt_regs *ctx)
{
	struct vfscount_key k = {.ip = bpf_get_func_ip(ctx)};

	return count(&k);
}

/* The stand-in (vfssys.bpf.h): a system call counts under the function it
 * leads to, its index in applets/vfscount's list (from 1). */
static __always_inline int vfssys_count(__u32 idx)
{
	struct vfscount_key k = {.idx = idx};

	return count(&k);
}

#include "vfssys.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
