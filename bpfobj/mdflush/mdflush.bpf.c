//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* mdflush: md (software RAID) flush requests, one event each, from
 * md_flush_request(mddev, bio) by fentry, else kprobe, as libbpf-tools'
 * mdflush. There is no tracepoint there. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probebox.bpf.h"
#include "regs.bpf.h"
#include "mdflush.h"

const volatile struct mdflush_event *unused_event __attribute__((unused));

/* Before 5.12 a bio named its disk directly. */
struct bio___old {
	struct gendisk *bi_disk;
} __attribute__((preserve_access_index));

static __always_inline int flush(void *ctx, struct bio *bio)
{
	struct mdflush_event ev = {};
	struct gendisk *disk;

	ev.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	if (bpf_core_field_exists(bio->bi_bdev))
		disk = BPF_CORE_READ(bio, bi_bdev, bd_disk);
	else
		disk = BPF_CORE_READ((struct bio___old *)bio, bi_disk);
	if (disk)
		bpf_probe_read_kernel_str(ev.disk, sizeof(ev.disk), disk->disk_name);
	emit(ctx, &ev, sizeof(ev));
	return 0;
}

SEC("fentry/md_flush_request")
int BPF_PROG(fentry_md_flush, void *mddev, struct bio *bio)
{
	return flush(ctx, bio);
}

SEC("kprobe/md_flush_request")
int kprobe_md_flush(void *ctx)
{
	return flush(ctx, (struct bio *)pb_reg_arg(ctx, 1));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
