/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram slots in powers of two of seconds, for `probebox exporter`:
 * with pow2_seconds set, a latency histogram's slot n holds times in
 * [2^(n-20), 2^(n-19)) seconds, so each slot's upper bound is a
 * Prometheus `le` (2^(n-19) s) and a native histogram bucket of schema 0
 * exactly. Slot 0 holds everything under 2^-19 s (about 1.9 us). */
#ifndef PROBEBOX_POW2HIST_BPF_H
#define PROBEBOX_POW2HIST_BPF_H

const volatile bool pow2_seconds = false;

/* pow2s_units converts nanoseconds to units of 2^-20 s: ns * 2^20 / 10^9,
 * reduced by 64 so it overflows only after 13 days. */
static __always_inline __u64 pow2s_units(__u64 ns)
{
	return ns * 16384 / 15625000;
}

/* log2_ceil is the slot of a size in bytes whose upper bound is a power of
 * two: slot n holds (2^(n-1), 2^n], slot 0 holds 0 and 1. */
static __always_inline __u64 log2_ceil(__u64 v)
{
	if (v <= 1)
		return 0;
	return log2_u64(v - 1) + 1;
}

#endif
