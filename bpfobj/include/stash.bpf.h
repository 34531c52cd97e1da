/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Per-thread state kept from a syscall's (or function's) entry to its
 * exit: the arguments only visible at entry, needed with the result.
 *
 * Where the kernel lets the tool's programs use task storage, the state
 * lives in the task itself: found through the task without hashing or a
 * bucket lock, and "deleted" by clearing a valid flag, with no free. That
 * is most of the BPF time of a streaming tool's event. Elsewhere it is a
 * hash keyed by thread id, as before.
 *
 * The loader (core/loader, stash.go) decides by probing the kernel: it
 * sets stash_in_task, and replaces the map the other mode does not use by
 * a one-entry hash. With the constant false the verifier never sees the
 * task storage helpers (the branch is pruned: .rodata is frozen).
 *
 *   PB_STASH(starts, struct args, 10240, 0);
 *   entry:  struct args *a = starts_start(tid);   fill *a
 *   exit:   struct args *a = starts_find(tid);    use *a; starts_done(tid, a);
 *
 * A started slot's contents are not zeroed in task storage (it holds the
 * thread's previous call): the entry sets every field the exit reads. */
#ifndef PROBEBOX_STASH_BPF_H
#define PROBEBOX_STASH_BPF_H

#include <bpf/bpf_helpers.h>

/* Set by the loader: the kernel has task storage for these programs. */
const volatile bool stash_in_task = false;

/* uapi values (vmlinux.h lacks these anonymous enums). */
#define PB_STASH_NO_PREALLOC 1       /* BPF_F_NO_PREALLOC */
#define PB_STASH_GET_F_CREATE 1      /* BPF_LOCAL_STORAGE_GET_F_CREATE */

/* PB_STASH(name, vtype, max, hash_flags) defines the maps name (hash of
 * max entries keyed by thread id, hash_flags e.g. PB_STASH_NO_PREALLOC for
 * big values) and name_task (task storage), and the functions:
 *   vtype *name_start(__u32 tid)  a slot for this thread, NULL when none
 *                                 (hash full); zeroed only in the hash
 *   vtype *name_find(__u32 tid)   this thread's started slot, or NULL
 *   void name_done(__u32 tid, vtype *v)  v (from name_find) is used up
 *   void name_free(__u32 tid)     the same, and its memory is freed now
 *                                 (for big values a task keeps otherwise)
 * tid is the current thread's id; task storage ignores it. */
#define PB_STASH(name, vtype, max, hash_flags)                                        \
	struct name##_slot {                                                          \
		__u64 valid;                                                          \
		vtype v;                                                              \
	};                                                                            \
	struct {                                                                      \
		__uint(type, BPF_MAP_TYPE_TASK_STORAGE);                              \
		__uint(map_flags, PB_STASH_NO_PREALLOC);                              \
		__type(key, int);                                                     \
		__type(value, struct name##_slot);                                    \
	} name##_task SEC(".maps");                                                   \
	struct {                                                                      \
		__uint(type, BPF_MAP_TYPE_HASH);                                      \
		__uint(map_flags, hash_flags);                                        \
		__uint(max_entries, max);                                             \
		__type(key, __u32);                                                   \
		__type(value, vtype);                                                 \
	} name SEC(".maps");                                                          \
	static const vtype name##_zero;                                               \
	static __always_inline __attribute__((unused)) vtype *name##_start(__u32 tid)                         \
	{                                                                             \
		struct name##_slot *s;                                                \
		if (stash_in_task) {                                                  \
			s = bpf_task_storage_get(&name##_task, bpf_get_current_task_btf(), \
						 0, PB_STASH_GET_F_CREATE);           \
			if (!s)                                                       \
				return 0;                                             \
			s->valid = 1;                                                 \
			return &s->v;                                                 \
		}                                                                     \
		if (bpf_map_update_elem(&name, &tid, &name##_zero, 0))                \
			return 0;                                                     \
		return bpf_map_lookup_elem(&name, &tid);                              \
	}                                                                             \
	static __always_inline __attribute__((unused)) vtype *name##_find(__u32 tid)                          \
	{                                                                             \
		struct name##_slot *s;                                                \
		if (stash_in_task) {                                                  \
			s = bpf_task_storage_get(&name##_task, bpf_get_current_task_btf(), \
						 0, 0);                               \
			if (!s || !s->valid)                                          \
				return 0;                                             \
			return &s->v;                                                 \
		}                                                                     \
		return bpf_map_lookup_elem(&name, &tid);                              \
	}                                                                             \
	static __always_inline __attribute__((unused)) void name##_done(__u32 tid, vtype *v)                  \
	{                                                                             \
		if (stash_in_task) {                                                  \
			((struct name##_slot *)((char *)v -                           \
				__builtin_offsetof(struct name##_slot, v)))->valid = 0; \
			return;                                                       \
		}                                                                     \
		bpf_map_delete_elem(&name, &tid);                                     \
	}                                                                             \
	static __always_inline __attribute__((unused)) void name##_free(__u32 tid)                            \
	{                                                                             \
		if (stash_in_task) {                                                  \
			bpf_task_storage_delete(&name##_task, bpf_get_current_task_btf()); \
			return;                                                       \
		}                                                                     \
		bpf_map_delete_elem(&name, &tid);                                     \
	}

#endif /* PROBEBOX_STASH_BPF_H */
