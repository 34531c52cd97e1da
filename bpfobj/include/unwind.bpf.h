/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Walking a user stack in BPF without frame pointers: each frame's
 * canonical frame address (CFA) and return address come from the unwind
 * rows core/unwind built from the binary's .eh_frame (one table per
 * binary, shared by every process that maps it); code without a table (a
 * Go binary, a JIT, a process whose tables are not loaded yet) takes the
 * frame-pointer step instead. The walk stores the stack in unwound_stacks
 * under a hash of its addresses, which becomes the user stack id of the
 * tool's counts key (core/stacks reads it from there).
 *
 * Include mapfull.bpf.h and stacks.bpf.h first. Needs bpf_loop (5.17)
 * and bpf_task_pt_regs (5.15); user space leaves unwind_user false (and
 * the walker unverified dead code) where they are missing. */
#ifndef PROBEBOX_UNWIND_BPF_H
#define PROBEBOX_UNWIND_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "regs.bpf.h"
#include "unwind.h"

/* Set by user space: walk user stacks here instead of bpf_get_stackid's
 * frame-pointer walk (--unwind=eh_frame|auto). */
const volatile bool unwind_user = false;

/* One binary's rows; user space creates one such array per binary with
 * as many entries as it has rows (BPF_F_INNER_MAP: sizes differ). */
struct pb_unwind_rows_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	/* Sizes, not types: clang describes a type only reached through
	 * an inner map's pointer as a forward declaration. */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct pb_unwind_row));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__array(values, struct pb_unwind_rows_map);
} unwind_tables SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32); /* tgid */
	__type(value, struct pb_unwind_proc);
} unwind_procs SEC(".maps");

/* Processes sampled before their mappings were loaded (key: tgid), and
 * files met before their tables were built (key: PB_UNWIND_WANT_FILE |
 * the file's number): user space loads them and deletes the key. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} unwind_wanted SEC(".maps");

/* A doorbell: the key of each request added to unwind_wanted, so that
 * user space wakes when there is something to load instead of polling
 * the map (ten wake-ups a second were most of a system-wide profile's
 * CPU while sampling). User space reads the whole map when it wakes: a
 * record lost to a full ring loses nothing. Turned into a one-entry
 * array by user space when the walker does not run (kernels before 5.8
 * have no ring buffers; the verifier prunes the walker there). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} unwind_requests SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PB_UNWIND_STATS);
	__type(key, __u32);
	__type(value, __u64);
} unwind_stats SEC(".maps");

struct pb_unwind_stack {
	__u64 ips[PB_UNWIND_MAX_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pb_unwind_stack);
} unwind_scratch SEC(".maps");

/* Sized by user space from --stack-storage-size. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct pb_unwind_stack);
} unwound_stacks SEC(".maps");

struct pb_walk {
	__u64 pc, sp, fp, lr;
	__u32 pid, n;
	bool done;
	bool stale; /* the process's entry is of the image before an exec */
};

static __always_inline void unwind_stat(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&unwind_stats, &slot);

	if (v)
		*v += n;
}

/* unwind_want asks user space for key (a process, a file) once: rings
 * the doorbell only when the request is new. */
static __always_inline void unwind_want(__u32 key)
{
	__u8 one = 1;

	if (!bpf_map_update_elem(&unwind_wanted, &key, &one, BPF_NOEXIST))
		bpf_ringbuf_output(&unwind_requests, &key, sizeof(key), 0);
}

/* Return addresses saved by arm64 code built with pointer authentication
 * (Debian's -mbranch-protection=standard: paciasp before x30 is saved)
 * carry the signature in the bits above the virtual address: keep the
 * 48 bits of the user address space (the kernel's default VA size; the
 * signature starts at bit 48 there) before looking the address up and
 * reporting it. x86-64 return addresses are left alone (5-level paging
 * has user addresses above bit 47). */
#define PB_ARM64_USER_VA_MASK 0x0000ffffffffffffULL

/* The mapping holding pc; mappings are sorted by start. */
static __always_inline struct pb_unwind_mapping *unwind_mapping(struct pb_unwind_proc *p, __u64 pc)
{
	for (int i = 0; i < PB_UNWIND_MAX_MAPPINGS; i++) {
		if (i >= p->n || pc < p->m[i].start)
			break;
		if (pc < p->m[i].end)
			return &p->m[i];
	}
	return NULL;
}

/* The last row at or below vaddr: a bounded binary search. */
static __always_inline struct pb_unwind_row *unwind_row(void *rows, __u32 n, __u64 vaddr)
{
	struct pb_unwind_row *r;
	__u32 lo = 0, hi = n, mid;

	if (n == 0 || vaddr > 0xffffffffULL)
		return NULL;
	for (int i = 0; i < PB_UNWIND_SEARCH_STEPS; i++) {
		if (hi - lo <= 1)
			break;
		mid = lo + (hi - lo) / 2;
		r = bpf_map_lookup_elem(rows, &mid);
		if (!r)
			return NULL;
		if (r->pc <= vaddr)
			lo = mid;
		else
			hi = mid;
	}
	r = bpf_map_lookup_elem(rows, &lo);
	if (!r || r->pc > vaddr)
		return NULL;
	return r;
}

/* unwind_frame records frame i and steps to its caller (a bpf_loop
 * callback: 1 ends the walk). */
static long unwind_frame(__u32 i, void *ctx)
{
	struct pb_walk *w = ctx;
	struct pb_unwind_stack *st;
	struct pb_unwind_proc *p;
	struct pb_unwind_mapping *m;
	struct pb_unwind_row *r = NULL, row = {};
	__u64 look, cfa, ra = 0, fp = w->fp, frame[2];
	__u32 zero = 0, table;
	void *rows;

	__u64 idx = i;

	/* One register for the bounds check and the index: clang would
	 * otherwise zero-extend i twice, and the verifier would see the
	 * index unchecked. */
	asm volatile("" : "+r"(idx));
	st = bpf_map_lookup_elem(&unwind_scratch, &zero);
	if (!st || idx >= PB_UNWIND_MAX_DEPTH) {
		w->done = true;
		return 1;
	}
	st->ips[idx] = w->pc;
	w->n = idx + 1;
	/* A return address is past its call, maybe past the function's
	 * end: look up the call instruction. */
	look = idx ? w->pc - 1 : w->pc;
	p = w->stale ? NULL : bpf_map_lookup_elem(&unwind_procs, &w->pid);
	if (p) {
		m = unwind_mapping(p, look);
		if (!m) {
			unwind_want(PB_UNWIND_WANT_MAPS | w->pid);
		} else if (m->table == PB_UNWIND_TABLE_PENDING) {
			/* Its table is built on this first request, in the
			 * background: frame pointers until then. */
			unwind_want(PB_UNWIND_WANT_FILE | m->rows);
			unwind_stat(PB_UNWIND_PENDING_FRAMES, 1);
		} else if (m->table) {
			table = m->table;
			rows = bpf_map_lookup_elem(&unwind_tables, &table);
			if (rows)
				r = unwind_row(rows, m->rows, look - m->bias);
		}
	}
	if (r)
		row = *r; /* a copy: also gives BTF the row's full type */
	if (row.base == PB_UNWIND_END)
		goto end;
	if (row.base != PB_UNWIND_NONE) {
		if (row.base == PB_UNWIND_SP)
			cfa = w->sp + row.cfa_off;
		else if (row.base == PB_UNWIND_FP)
			cfa = w->fp + row.cfa_off;
		else /* PB_UNWIND_PLT */
			cfa = w->sp + 8 + ((__s64)(w->pc & 15) >= row.cfa_off ? 8 : 0);
		if (row.ra_off) {
			if (bpf_probe_read_user(&ra, sizeof(ra), (void *)(cfa + row.ra_off)))
				goto end;
		} else if (idx == 0) {
			ra = w->lr;
		}
		if (row.fp_off && bpf_probe_read_user(&fp, sizeof(fp), (void *)(cfa + row.fp_off)))
			goto end;
		unwind_stat(PB_UNWIND_TABLE_FRAMES, 1);
	} else {
		/* The frame-pointer step: [fp] is the caller's fp, the return
		 * address is above it. */
		if (!w->fp || bpf_probe_read_user(frame, sizeof(frame), (void *)w->fp))
			goto end;
		/* A caller's frame record is above its callee's: anything else is
		 * a register used for something else (code built without frame
		 * pointers); its return address is the last frame. */
		fp = frame[0] > w->fp ? frame[0] : 0;
		ra = frame[1];
		cfa = w->fp + 16;
		unwind_stat(PB_UNWIND_FP_FRAMES, 1);
	}
	if (!PB_IS_X86)
		ra &= PB_ARM64_USER_VA_MASK;
	/* The stack grows down: a caller's frame is above its callee's. */
	if (!ra || cfa < w->sp)
		goto end;
	w->pc = ra;
	w->sp = cfa;
	w->fp = fp;
	return 0;
end:
	w->done = true;
	return 1;
}

/* unwind_user_stack_depth walks at most depth frames (up to
 * PB_UNWIND_MAX_DEPTH) of the current task's user stack and returns its
 * id in unwound_stacks, or a negative errno as bpf_get_stackid would
 * (-EFAULT: no user stack; -EEXIST, -ENOMEM: not stored, counted). A
 * stack cut at a depth below the maximum (trace's ustack(perf, 8)) was
 * asked for, and is not counted as truncated. */
static __always_inline int unwind_user_stack_depth(__u32 tgid, __u32 depth)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pb_walk w = { .pid = tgid };
	struct pb_unwind_stack *st, *old;
	struct pb_unwind_proc *p;
	__u32 zero = 0, id;
	__u64 h = 0xcbf29ce484222325ULL;
	int err;

	if (!BPF_CORE_READ(task, mm))
		return -PB_EFAULT; /* a kernel thread */
	pb_user_regs((void *)bpf_task_pt_regs(task), &w.pc, &w.sp, &w.fp, &w.lr);
	if (!w.pc)
		return -PB_EFAULT;
	p = bpf_map_lookup_elem(&unwind_procs, &tgid);
	if (!p) {
		unwind_want(tgid);
		unwind_stat(PB_UNWIND_NO_TABLES, 1);
	} else if (p->start_code && p->start_code != BPF_CORE_READ(task, mm, start_code)) {
		/* Another image at this PID: its old tables would misread
		 * the stack. Frame pointers until the entry is rewritten. */
		unwind_want(PB_UNWIND_WANT_EXEC | tgid);
		unwind_stat(PB_UNWIND_NO_TABLES, 1);
		w.stale = true;
	}
	if (depth > PB_UNWIND_MAX_DEPTH)
		depth = PB_UNWIND_MAX_DEPTH;
	bpf_loop(depth, unwind_frame, &w, 0);
	unwind_stat(PB_UNWIND_STACKS, 1);
	if (!w.done && depth == PB_UNWIND_MAX_DEPTH)
		unwind_stat(PB_UNWIND_TRUNCATED, 1);
	st = bpf_map_lookup_elem(&unwind_scratch, &zero);
	if (!st)
		return -PB_EFAULT;
	for (int i = 0; i < PB_UNWIND_MAX_DEPTH; i++) {
		if (i >= w.n)
			st->ips[i] = 0;
		else
			h = (h ^ st->ips[i]) * 0x100000001b3ULL;
	}
	/* Positive, and never PB_NOT_COLLECTED. */
	id = (__u32)(h ^ (h >> 32)) & 0x7ffffffe;
	err = (int)bpf_map_update_elem(&unwound_stacks, &id, st, BPF_NOEXIST);
	if (err == -PB_EEXIST) {
		old = bpf_map_lookup_elem(&unwound_stacks, &id);
		if (!old)
			return -PB_EEXIST;
		for (int i = 0; i < PB_UNWIND_MAX_DEPTH; i++) {
			if (old->ips[i] != st->ips[i]) {
				unwind_stat(PB_UNWIND_COLLISIONS, 1);
				count_full(PB_STACKS_FULL_SLOT);
				return -PB_EEXIST;
			}
		}
	} else if (err) {
		count_full(PB_STACKS_FULL_SLOT);
		return err;
	}
	return id;
}

/* unwind_user_stack walks the whole user stack (PB_UNWIND_MAX_DEPTH
 * frames at most, more counted as truncated). */
static __always_inline int unwind_user_stack(__u32 tgid)
{
	return unwind_user_stack_depth(tgid, PB_UNWIND_MAX_DEPTH);
}

#endif /* PROBEBOX_UNWIND_BPF_H */
