/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Histogram layout shared by cpufreq.bpf.c and applets/cpufreq. */
#ifndef CPUFREQ_H
#define CPUFREQ_H

#define CPUFREQ_MAX_SLOTS 64  /* 64 steps of 200 MHz: up to 12.8 GHz */
#define CPUFREQ_STEP_MHZ 200
#define CPUFREQ_COMM_LEN 16

/* Slot of map_full: samples of processes the per-process map had no room
 * for (they are still in the system-wide histogram). */
#define CPUFREQ_FULL_HISTS 0

struct cpufreq_hist {
	__u64 slots[CPUFREQ_MAX_SLOTS]; /* samples by frequency, 200 MHz steps */
};

struct cpufreq_key {
	char comm[CPUFREQ_COMM_LEN];
};

#endif
