/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Which task a block request belongs to, shared by the per-process block
 * tools (bitesize, biotop). The task running block_rq_issue is not always
 * the one that asked for the I/O: with an I/O scheduler, or on loop devices
 * of some kernels (Debian's 6.1), a kernel worker dispatches it. So the
 * task seen at block_rq_insert, when there is one, is remembered by request
 * and taken back at issue; a request issued directly is the current task's.
 * Include after vmlinux.h, mapfull.bpf.h and blk.bpf.h; define
 * BLK_WHO_FULL_SLOT (the map_full slot counting refused inserts) first. */
#ifndef PROBEBOX_BLKWHO_BPF_H
#define PROBEBOX_BLKWHO_BPF_H

#ifndef BLK_WHO_FULL_SLOT
#error "define BLK_WHO_FULL_SLOT before including blkwho.bpf.h"
#endif

struct blk_who {
	__u32 pid; /* process (tgid) */
	char comm[TASK_COMM_LEN];
};

/* A request inserted and then freed without being issued (merged into
 * another) leaves its entry; keyed by request pointer it is overwritten
 * when the request is reused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct blk_rq_key);
	__type(value, struct blk_who);
} blk_whos SEC(".maps");

static __always_inline void blk_who_current(struct blk_who *w)
{
	w->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(w->comm, sizeof(w->comm));
}

/* At block_rq_insert: remember the submitting task. */
static __always_inline void blk_who_remember(struct blk_rq_key *k)
{
	struct blk_who w = {};

	blk_who_current(&w);
	update_counted(&blk_whos, k, &w, BPF_ANY, BLK_WHO_FULL_SLOT);
}

/* At block_rq_issue: the task remembered at insert (forgotten now), else
 * the current one. */
static __always_inline void blk_who_at_issue(struct blk_rq_key *k, struct blk_who *w)
{
	struct blk_who *seen = bpf_map_lookup_elem(&blk_whos, k);

	if (seen) {
		*w = *seen;
		bpf_map_delete_elem(&blk_whos, k);
		return;
	}
	blk_who_current(w);
}

/* A -c COMM filter as libbpf-tools applies it: the comm starts with it. */
static __always_inline bool blk_comm_prefix(const char *comm, const volatile char *want)
{
	int i;

	for (i = 0; i < TASK_COMM_LEN; i++) {
		if (!want[i])
			return true;
		if (comm[i] != want[i])
			return false;
	}
	return true;
}

#endif
