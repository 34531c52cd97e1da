/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef FUNCINTERVAL_H
#define FUNCINTERVAL_H

#define FUNCINT_MAX_SLOTS 64

/* The one histogram: intervals between consecutive calls. */
struct funcint_hist {
	__u64 slots[FUNCINT_MAX_SLOTS];
};

#endif
