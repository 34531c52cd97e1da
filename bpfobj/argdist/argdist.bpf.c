//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* argdist: the distribution (-H, log2 histogram) or frequency (-C, count
 * per value) of one value at a probe: an argument, the return value, the
 * process ID or a tracepoint field, optionally filtered by a comparison
 * with a literal. User space compiles bcc's specifier into the constants
 * below; one program per probe kind. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "bits.bpf.h"
#include "regs.bpf.h"
#include "argdist.h"

const volatile __s32 filter_tgid = 0;
const volatile bool histogram = false; /* -H, else -C */

/* The value. */
const volatile __u32 src_kind = ARGDIST_SRC_ONE;
const volatile __u32 src_arg = 0;
const volatile __u32 src_off = 0, src_size = 8;
const volatile __u32 src_bits = 64; /* the declared type's width */
const volatile bool src_signed = false;

/* The filter: value(f_*) OP f_const. */
const volatile __u32 f_op = ARGDIST_OP_NONE;
const volatile __u32 f_kind = ARGDIST_SRC_ONE;
const volatile __u32 f_arg = 0;
const volatile __u32 f_off = 0, f_size = 8;
const volatile __u32 f_bits = 64;
const volatile bool f_signed = false;
const volatile __s64 f_const = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct argdist_hist);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} counts SEC(".maps");

/* fit truncates v to bits and sign-extends it when signed. */
static __always_inline __s64 fit(__u64 v, __u32 bits, bool sign)
{
	if (bits >= 64)
		return v;
	v &= (1ULL << bits) - 1;
	if (sign && (v >> (bits - 1)))
		v |= ~((1ULL << bits) - 1);
	return v;
}

static __always_inline __u64 field(void *ctx, __u32 off, __u32 size)
{
	__u64 v = 0;

	if (size > 8)
		size = 8;
	bpf_probe_read_kernel(&v, size & 15, ctx + off);
	return v; /* little endian: the low bytes (bpfel); bpfeb kernels get the high ones */
}

static __always_inline __s64 value(void *ctx, __u32 kind, __u32 arg, __u32 off, __u32 size,
				    __u32 bits, bool sign, bool tp, bool ret)
{
	__u64 v = 1;

	switch (kind) {
	case ARGDIST_SRC_ARG:
		v = tp ? 0 : pb_reg_arg(ctx, arg);
		break;
	case ARGDIST_SRC_RET:
		v = ret ? pb_reg_ret(ctx) : 0;
		break;
	case ARGDIST_SRC_PID:
		v = bpf_get_current_pid_tgid() >> 32;
		break;
	case ARGDIST_SRC_FIELD:
		v = tp ? field(ctx, off, size) : 0;
		break;
	}
	return fit(v, bits, sign);
}

static __always_inline bool pass(void *ctx, bool tp, bool ret)
{
	__s64 v;

	if (f_op == ARGDIST_OP_NONE)
		return true;
	v = value(ctx, f_kind, f_arg, f_off, f_size, f_bits, f_signed, tp, ret);
	switch (f_op) {
	case ARGDIST_OP_EQ: return v == f_const;
	case ARGDIST_OP_NE: return v != f_const;
	}
	if (f_signed) {
		switch (f_op) {
		case ARGDIST_OP_LT: return v < f_const;
		case ARGDIST_OP_LE: return v <= f_const;
		case ARGDIST_OP_GT: return v > f_const;
		case ARGDIST_OP_GE: return v >= f_const;
		}
	} else {
		switch (f_op) {
		case ARGDIST_OP_LT: return (__u64)v < (__u64)f_const;
		case ARGDIST_OP_LE: return (__u64)v <= (__u64)f_const;
		case ARGDIST_OP_GT: return (__u64)v > (__u64)f_const;
		case ARGDIST_OP_GE: return (__u64)v >= (__u64)f_const;
		}
	}
	return false;
}

static __always_inline int handle(void *ctx, bool tp, bool ret)
{
	__u32 zero = 0;
	struct argdist_hist *h;
	__u64 one = 1, *n;
	__s64 v;

	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;
	if (!cgroup_allowed() || !pass(ctx, tp, ret))
		return 0;
	v = value(ctx, src_kind, src_arg, src_off, src_size, src_bits, src_signed, tp, ret);
	if (histogram) {
		__u64 slot = v < 0 && src_signed ? 0 : log2_u64(v);

		if (slot >= ARGDIST_MAX_SLOTS)
			slot = ARGDIST_MAX_SLOTS - 1;
		h = bpf_map_lookup_elem(&hist, &zero);
		if (h)
			__sync_fetch_and_add(&h->slots[slot], 1);
		return 0;
	}
	n = bpf_map_lookup_elem(&counts, &v);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return 0;
	}
	if (update_counted(&counts, &v, &one, BPF_NOEXIST, ARGDIST_FULL_COUNTS) == -PB_EEXIST) {
		n = bpf_map_lookup_elem(&counts, &v);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 0;
}

SEC("kprobe")
int on_kprobe(void *ctx) { return handle(ctx, false, false); }

SEC("kretprobe")
int on_kretprobe(void *ctx) { return handle(ctx, false, true); }

SEC("uprobe")
int on_uprobe(void *ctx) { return handle(ctx, false, false); }

SEC("uretprobe")
int on_uretprobe(void *ctx) { return handle(ctx, false, true); }

SEC("tracepoint")
int on_tracepoint(void *ctx) { return handle(ctx, true, false); }

char LICENSE[] SEC("license") = "Dual BSD/GPL";
