/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Counter slots shared by cachestat.bpf.c and applets/cachestat: the
 * four counts bcc's cachestat combines. */
#ifndef CACHESTAT_H
#define CACHESTAT_H

#define CS_APCL 0 /* pages added to the page cache (misses) */
#define CS_MPA 1  /* page cache accesses */
#define CS_MBD 2  /* buffers marked dirty */
#define CS_APD 3  /* pages dirtied */
#define CS_MAX 4

#endif
