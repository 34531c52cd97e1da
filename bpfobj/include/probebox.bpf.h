/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What every probebox BPF program shares: event delivery with honest loss
 * counting, and the filters user space rewrites before load. */
#ifndef PROBEBOX_BPF_H
#define PROBEBOX_BPF_H

#include <bpf/bpf_helpers.h>

#ifndef TASK_COMM_LEN
#define TASK_COMM_LEN 16
#endif

/* Set by the loader: true when the kernel has BPF ring buffers. Otherwise the
 * loader turns `events` into a perf event array and the verifier prunes the
 * ring-buffer branch, because this constant lives in frozen .rodata. */
const volatile bool use_ringbuf = true;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Events the kernel could not hand to user space (ring full, perf buffer
 * full): user space sums the per-CPU slots and reports them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost_events, &zero);

	if (n)
		*n += 1;
}

/* bpf_ringbuf_output flags and bpf_ringbuf_query fields (uapi values;
 * vmlinux.h lacks these anonymous enums). */
#define PB_RB_NO_WAKEUP 1
#define PB_RB_FORCE_WAKEUP 2
#define PB_RB_AVAIL_DATA 0
#define PB_RB_RING_SIZE 1

/* Wake the reader when the ring's fill crosses a mark: a quarter, and
 * each further eighth. Waking it for every event (the ring buffer's
 * default) costs the traced task a wake-up each time, most of the cost of
 * streaming; so did waking it for every event while the ring stayed above
 * a quarter (a level test: a reader already awake but behind made every
 * event pay an interrupt for a wake-up, about 300 ns of BPF time per event
 * in a VM). A crossing two CPUs race past unseen is caught at the next
 * eighth, and the reader also polls on a short deadline, so a trickle of
 * events still reaches it promptly. From three quarters full every event
 * wakes it (a reader that fell that far behind needs every chance to run
 * before the ring overflows). before and after are the ring's bytes
 * waiting without and with this event. */
static __always_inline __u64 ringbuf_wakeup_crossed(__u64 before, __u64 after)
{
	__u64 step = bpf_ringbuf_query(&events, PB_RB_RING_SIZE) / 8;

	if (step == 0 || after < 2 * step)
		return PB_RB_NO_WAKEUP;
	/* Three quarters full: loss is near, so every event wakes the
	 * reader again, as the level test did. */
	if (after >= 6 * step || before / step != after / step)
		return PB_RB_FORCE_WAKEUP;
	return PB_RB_NO_WAKEUP;
}

/* A record's bytes in the ring: 8-byte header, rounded up to 8. */
#define PB_RB_RECORD_BYTES(size) ((((__u64)(size)) + 8 + 7) & ~7ULL)

/* emit copies size bytes of data to user space, counting a failure. */
static __always_inline void emit(void *ctx, void *data, __u64 size)
{
	long err;

	if (use_ringbuf) {
		__u64 before = bpf_ringbuf_query(&events, PB_RB_AVAIL_DATA);

		err = bpf_ringbuf_output(&events, data, size,
					 ringbuf_wakeup_crossed(before, before + PB_RB_RECORD_BYTES(size)));
	} else {
		err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, data, size);
	}
	if (err)
		count_lost();
}

/* For fixed-size events, filled in place: event_reserve returns a ring
 * buffer slot (so nothing is copied at submit) or, for perf buffers, the
 * per-CPU scratch entry of scratch_map; NULL when the ring is full, which
 * counts as lost. Every reserved event must reach event_submit: check
 * filters before reserving. */
static __always_inline void *event_reserve(void *scratch_map, __u64 size)
{
	__u32 zero = 0;
	void *e;

	if (!use_ringbuf)
		return bpf_map_lookup_elem(scratch_map, &zero);
	e = bpf_ringbuf_reserve(&events, size, 0);
	if (!e)
		count_lost();
	return e;
}

static __always_inline void event_submit(void *ctx, void *e, __u64 size)
{
	if (use_ringbuf) {
		/* The reserved record already counts as waiting. */
		__u64 after = bpf_ringbuf_query(&events, PB_RB_AVAIL_DATA);
		__u64 rec = PB_RB_RECORD_BYTES(size);

		bpf_ringbuf_submit(e, ringbuf_wakeup_crossed(after > rec ? after - rec : 0, after));
	} else if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size))
		count_lost();
}

/* -c/--cgroup: user space stores the cgroup v2 directory's fd here. */
const volatile bool filter_cgroup = false;

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_filter SEC(".maps");

static __always_inline bool cgroup_allowed(void)
{
	if (!filter_cgroup)
		return true;
	return bpf_current_task_under_cgroup(&cgroup_filter, 0) == 1;
}

/* -n NAME: substring match on the task's comm, in the kernel. */
const volatile char filter_comm[TASK_COMM_LEN] = {};
const volatile int filter_comm_len = 0;

static __always_inline bool comm_allowed(const char *comm)
{
	int i, j;

	if (filter_comm_len <= 0)
		return true;
	for (i = 0; i < TASK_COMM_LEN; i++) {
		bool match = true;

		if (i + filter_comm_len >= TASK_COMM_LEN)
			break;
		for (j = 0; j < TASK_COMM_LEN - 1; j++) {
			if (j >= filter_comm_len)
				break;
			if (comm[(i + j) & (TASK_COMM_LEN - 1)] != filter_comm[j]) {
				match = false;
				break;
			}
		}
		if (match)
			return true;
	}
	return false;
}

#endif /* PROBEBOX_BPF_H */
