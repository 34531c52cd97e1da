//go:build ignore

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* sslsniff: the plaintext of TLS reads and writes, taken from the
 * library before encryption or after decryption: OpenSSL's SSL_read,
 * SSL_write (and their _ex forms), GnuTLS's gnutls_record_recv/send. A
 * uprobe keeps the buffer per thread; the uretprobe copies what the call
 * moved. SSL_do_handshake's latency and result with --handshake. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "probebox.bpf.h"
#include "mapfull.bpf.h"
#include "regs.bpf.h"
#include "sslsniff.h"

const volatile __u32 filter_pid = 0;    /* tgid; 0: any */
const volatile __u32 filter_uid = -1;   /* -1: any */
const volatile __u32 max_buf = SSL_MAX_BUF; /* --max-buffer-size */

struct call {
	__u64 ts;
	__u64 buf;      /* the data */
	__u64 size_ptr; /* _ex forms: where the length is returned; 0 otherwise */
	__u32 kind;
	__u32 wide; /* returns ssize_t (GnuTLS), not int (OpenSSL) */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32); /* tid */
	__type(value, struct call);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ssl_event);
} scratch SEC(".maps");

static __always_inline bool wanted(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	char comm[TASK_COMM_LEN];

	if (filter_pid && (__u32)(id >> 32) != filter_pid)
		return false;
	if (filter_uid != (__u32)-1 && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return false;
	bpf_get_current_comm(comm, sizeof(comm));
	return comm_allowed(comm);
}

static __always_inline int on_entry(struct pt_regs *ctx, __u32 kind, bool ex, bool wide)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct call c = {};

	if (!wanted())
		return 0;
	c.ts = bpf_ktime_get_ns();
	c.kind = kind;
	c.wide = wide;
	if (kind != SSL_EV_HANDSHAKE)
		c.buf = pb_reg_arg(ctx, 1);
	if (ex)
		c.size_ptr = pb_reg_arg(ctx, 3);
	update_counted(&calls, &tid, &c, BPF_ANY, SSL_FULL_CALLS);
	return 0;
}

static __always_inline int on_return(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, zero = 0;
	__u64 n, filled;
	struct ssl_event *e;
	struct call *c;
	__s64 ret = (__s64)pb_reg_ret(ctx);
	__u64 len = 0;

	c = bpf_map_lookup_elem(&calls, &tid);
	if (!c)
		return 0;
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		goto out;
	if (!c->wide)
		ret = (__s32)ret; /* an int: the upper half of the register is not its sign */
	if (c->kind == SSL_EV_HANDSHAKE) {
		/* its result only */
	} else if (c->size_ptr) {
		/* 1: done, the length is in *size_ptr */
		if (ret != 1 || bpf_probe_read_user(&len, sizeof(len), (void *)c->size_ptr))
			goto out;
	} else {
		if (ret <= 0)
			goto out; /* nothing moved (an error, or try again) */
		len = ret;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->delta_ns = e->ts_ns - c->ts;
	e->ret = ret;
	e->pid = id >> 32;
	e->tid = tid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->kind = c->kind;
	e->len = len;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	n = len < max_buf ? len : max_buf;
	/* 64-bit bounds older verifiers (6.1) can follow. */
	asm volatile("" : "+r"(n));
	if (n > SSL_MAX_BUF)
		n = SSL_MAX_BUF;
	filled = 0;
	if (n && !bpf_probe_read_user(e->buf, n, (void *)c->buf))
		filled = n;
	e->buf_filled = filled;
	emit(ctx, e, offsetof(struct ssl_event, buf) + filled);
out:
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

/* int SSL_read(SSL *ssl, void *buf, int num); int SSL_write(SSL *ssl,
 * const void *buf, int num): the length moved is the result. */
SEC("uprobe")
int uprobe_read(struct pt_regs *ctx)
{
	return on_entry(ctx, SSL_EV_READ, false, false);
}

SEC("uprobe")
int uprobe_write(struct pt_regs *ctx)
{
	return on_entry(ctx, SSL_EV_WRITE, false, false);
}

/* int SSL_read_ex(SSL *ssl, void *buf, size_t num, size_t *readbytes),
 * SSL_write_ex(..., size_t *written): 1 on success, the length in the
 * fourth argument. */
SEC("uprobe")
int uprobe_read_ex(struct pt_regs *ctx)
{
	return on_entry(ctx, SSL_EV_READ, true, false);
}

SEC("uprobe")
int uprobe_write_ex(struct pt_regs *ctx)
{
	return on_entry(ctx, SSL_EV_WRITE, true, false);
}

SEC("uprobe")
int uprobe_handshake(struct pt_regs *ctx)
{
	return on_entry(ctx, SSL_EV_HANDSHAKE, false, false);
}

/* ssize_t gnutls_record_recv(gnutls_session_t session, void *data, size_t
 * data_size), gnutls_record_send(...): the length moved is the result;
 * int gnutls_handshake(gnutls_session_t session). */
SEC("uprobe")
int uprobe_gnutls_recv(struct pt_regs *ctx)
{
	return on_entry(ctx, SSL_EV_READ, false, true);
}

SEC("uprobe")
int uprobe_gnutls_send(struct pt_regs *ctx)
{
	return on_entry(ctx, SSL_EV_WRITE, false, true);
}

SEC("uretprobe")
int uretprobe_ssl(struct pt_regs *ctx)
{
	return on_return(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
