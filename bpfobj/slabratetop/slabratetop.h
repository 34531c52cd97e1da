/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map layout shared by slabratetop.bpf.c and applets/slabratetop. */
#ifndef SLABRATETOP_H
#define SLABRATETOP_H

#define SLAB_NAME_LEN 32
#define SLABRATETOP_FULL_CACHES 0 /* slot of map_full */

struct slabrate_key {
	char name[SLAB_NAME_LEN]; /* the cache's name */
};

struct slabrate_val {
	__u64 count; /* allocations */
	__u64 size;  /* their bytes (the cache's object size) */
};

#endif
