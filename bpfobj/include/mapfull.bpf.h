/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Counting what a full map refused, so that user space reports it instead
 * of printing a silently truncated result (core/loader MapFull).
 *
 * Slot i of map_full counts the inserts the kernel refused into the tool's
 * i-th bounded map; each tool numbers its maps in its own header and
 * tells user space the same numbering. A hash map refuses a new key with
 * -E2BIG once it holds max_entries keys (an LRU map would instead evict an
 * entry, silently, which is why counted maps are plain hashes). */
#ifndef PROBEBOX_MAPFULL_BPF_H
#define PROBEBOX_MAPFULL_BPF_H

#include <bpf/bpf_helpers.h>

#define PB_MAP_FULL_SLOTS 4

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PB_MAP_FULL_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} map_full SEC(".maps");

static __always_inline void count_full(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&map_full, &slot);

	if (n)
		*n += 1; /* per-CPU: no other CPU writes this slot */
}

/* PB_EEXIST: the key was there already (BPF_NOEXIST), which is no loss. */
#define PB_EEXIST 17

/* update_counted is bpf_map_update_elem that counts a refusal other than
 * "already there" in slot; it returns the helper's result. */
static __always_inline long update_counted(void *map, const void *key, const void *value,
					   __u64 flags, __u32 slot)
{
	/* Only the low 32 bits: before 6.7 the verifier calls the map's
	 * update op directly, and it returned an int, so -EEXIST arrives
	 * zero-extended (found on Debian's 6.1 in the kernel matrix). */
	int err = (int)bpf_map_update_elem(map, key, value, flags);

	if (err && err != -PB_EEXIST)
		count_full(slot);
	return err;
}

#endif /* PROBEBOX_MAPFULL_BPF_H */
