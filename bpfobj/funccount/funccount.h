/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef FUNCCOUNT_H
#define FUNCCOUNT_H
/* The counts map is a per-CPU array of __u64, one entry per target; each
 * probe's attach cookie is its index. */
#endif
