/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Block-layer helpers shared by biosnoop and biolatency: which disk a
 * request is for, the request argument of block_rq_insert/issue across
 * kernel versions, and rwbs strings of tracefs tracepoints turned back into
 * cmd_flags. Include after vmlinux.h and bpf_core_read.h. */
#ifndef PROBEBOX_BLK_BPF_H
#define PROBEBOX_BLK_BPF_H

/* Kernel dev_t: 12 bits of major, 20 of minor (MKDEV in linux/kdev_t.h). */
#define PBX_MINORBITS 20
#define PBX_MKDEV(ma, mi) (((__u32)(ma) << PBX_MINORBITS) | (__u32)(mi))

/* Requests are tracked by pointer where the hook gives us the request
 * (tp_btf, raw tracepoints); tracefs tracepoints only show the disk and
 * sector, so there the pair is the identity. */
struct blk_rq_key {
	__u64 id;  /* struct request *, or the start sector */
	__u64 dev; /* 0 for pointers; the disk's dev_t for sectors */
};

/* Before 5.16 (roughly) the request named its disk directly. */
struct request___rq_disk {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline __u32 blk_rq_dev(struct request *rq)
{
	struct request___rq_disk *old = (void *)rq;
	struct gendisk *disk;

	if (bpf_core_field_exists(old->rq_disk))
		disk = BPF_CORE_READ(old, rq_disk);
	else
		disk = BPF_CORE_READ(rq, q, disk);
	if (!disk)
		return 0;
	return PBX_MKDEV(BPF_CORE_READ(disk, major), BPF_CORE_READ(disk, first_minor));
}

/* A request with an I/O scheduler goes through block_rq_insert; without
 * one it is usually issued directly. */
static __always_inline bool blk_rq_has_elevator(struct request *rq)
{
	return BPF_CORE_READ(rq, q, elevator) != NULL;
}

/* block_rq_insert and block_rq_issue took (q, rq) before 5.11 and (rq)
 * since. User space reads which from the kernel's BTF (the tracepoints'
 * btf_trace_* function types) and sets this before load. */
const volatile bool rq_after_q = false;

/* ctx_arg0/1 read an argument with inline assembly: written in C, clang
 * merges the two branches below into one load from ctx plus a computed
 * offset, which the verifier refuses ("modified ctx ptr"). */
static __always_inline struct request *ctx_arg0(__u64 *ctx)
{
	struct request *rq;

	asm volatile("%0 = *(u64 *)(%1 + 0)" : "=r"(rq) : "r"(ctx));
	return rq;
}

static __always_inline struct request *ctx_arg1(__u64 *ctx)
{
	struct request *rq;

	asm volatile("%0 = *(u64 *)(%1 + 8)" : "=r"(rq) : "r"(ctx));
	return rq;
}

/* The request argument of block_rq_insert and block_rq_issue. */
static __always_inline struct request *blk_queued_rq(__u64 *ctx)
{
	if (rq_after_q)
		return ctx_arg1(ctx);
	return ctx_arg0(ctx);
}

/* Operations whose numbers never changed; the rest show as "N" in rwbs. */
#define PBX_REQ_OP_READ 0
#define PBX_REQ_OP_WRITE 1
#define PBX_REQ_OP_FLUSH 2
#define PBX_REQ_OP_DISCARD 3
#define PBX_REQ_OP_SECURE_ERASE 5
#define PBX_REQ_OP_UNKNOWN 0xff

#define PBX_REQ_BIT(name) (1U << bpf_core_enum_value(enum req_flag_bits, name))

/* blk_rwbs_flags rebuilds cmd_flags from the rwbs string of a tracefs
 * block tracepoint ("FWFS": preflush, write, FUA, sync), using this
 * kernel's flag bits so that user space decodes both paths alike. */
static __always_inline __u32 blk_rwbs_flags(const char *rwbs)
{
	__u32 flags = 0, op = PBX_REQ_OP_UNKNOWN;
	int i = 0;

	/* A leading F is a preflush when an operation letter follows. */
	if (rwbs[0] == 'F' && (rwbs[1] == 'W' || rwbs[1] == 'R' || rwbs[1] == 'D' ||
			       rwbs[1] == 'F' || rwbs[1] == 'N')) {
		flags |= PBX_REQ_BIT(__REQ_PREFLUSH);
		i = 1;
	}
	switch (rwbs[i & 1]) {
	case 'W':
		op = PBX_REQ_OP_WRITE;
		break;
	case 'R':
		op = PBX_REQ_OP_READ;
		break;
	case 'F':
		op = PBX_REQ_OP_FLUSH;
		break;
	case 'D':
		op = PBX_REQ_OP_DISCARD;
		if (rwbs[(i & 1) + 1] == 'E') {
			op = PBX_REQ_OP_SECURE_ERASE;
			i++;
		}
		break;
	}
	for (i = i + 1; i < 8; i++) {
		switch (rwbs[i & 7]) {
		case 'F':
			flags |= PBX_REQ_BIT(__REQ_FUA);
			break;
		case 'A':
			flags |= PBX_REQ_BIT(__REQ_RAHEAD);
			break;
		case 'S':
			flags |= PBX_REQ_BIT(__REQ_SYNC);
			break;
		case 'M':
			flags |= PBX_REQ_BIT(__REQ_META);
			break;
		}
		if (!rwbs[i & 7])
			break;
	}
	return flags | op;
}

#endif
