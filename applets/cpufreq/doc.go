// Package cpufreq samples the CPU frequency with a cpu-clock perf event
// (99 Hz by default, -f) and prints linear histograms in 200 MHz steps,
// system-wide and per process name, after -d seconds or at Ctrl-C, as
// libbpf-tools' cpufreq does. Each CPU's frequency is seeded from
// /sys/devices/system/cpu/cpuN/cpufreq/scaling_cur_freq and kept current
// by the power:cpu_frequency tracepoint (tp_btf, raw, tracefs).
//
// --json prints one object: syswide {unit "MHz", buckets}, processes
// [{comm, hist}], not_counted {"hists": N}.
//
// Where the machine exposes no frequency (most VMs, as the development
// machine), it says so in one line and exits 1:
//
//	$ cpufreq
//	cpufreq: this machine exposes no CPU frequency: no /sys/devices/system/cpu/cpu*/cpufreq (a VM without a cpufreq driver, or a kernel without CONFIG_CPU_FREQ), so there are no cpu_frequency events to sample
package cpufreq
