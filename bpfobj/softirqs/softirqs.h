/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef SOFTIRQS_H
#define SOFTIRQS_H

#include "irqstat.h"

/* Entries of the stats array: the kernel's softirq vectors (HI ... RCU),
 * with room for a few more. */
#define SOFTIRQS_MAX_VEC 16

#endif
