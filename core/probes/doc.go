// Package probes discovers what can be traced, bpftrace-style: tracepoints
// (tracefs), raw tracepoints and fentry/fexit targets (kernel BTF), kprobe
// targets (available_filter_functions, else kallsyms), uprobe and USDT
// probes of a binary (ELF symbols and .note.stapsdt), and the fixed
// software, hardware, interval and profile probes. Sources are streamed and
// matched against a glob as they are read, so a kernel with 100,000+
// functions is listed without holding it twice.
package probes
