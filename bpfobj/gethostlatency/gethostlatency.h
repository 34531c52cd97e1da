/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Event layout shared by gethostlatency.bpf.c and applets/gethostlatency. */
#ifndef GETHOSTLATENCY_H
#define GETHOSTLATENCY_H

#define GHL_HOST_LEN 80

/* Which function was called. */
#define GHL_GETADDRINFO 0
#define GHL_GETHOSTBYNAME 1
#define GHL_GETHOSTBYNAME2 2

/* map_full slot of the in-flight calls map. */
#define GHL_FULL_STARTS 0

struct host_event {
	__u64 ts_ns;      /* bpf_ktime_get_ns at the return */
	__u64 lat_ns;     /* entry to return */
	__u64 cgroup_id;
	__s64 ret;        /* getaddrinfo's result (0: found); gethostbyname*: 0 or 1 (a hostent) */
	__u32 pid;
	__u32 tid;
	__u32 func;       /* GHL_* */
	__u32 pad;
	char comm[16];
	char host[GHL_HOST_LEN];
};

#endif
