/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef HARDIRQS_H
#define HARDIRQS_H

#include "irqstat.h"

/* Slot of map_full (mapfull.bpf.h): handler runs not counted because the
 * stats map had no room for a new handler name. */
#define HARDIRQS_FULL_STATS 0

/* Key of the stats map: the handler's name (irqaction->name). */
struct hardirq_key {
	char name[IRQSTAT_NAME_LEN];
};

#endif
