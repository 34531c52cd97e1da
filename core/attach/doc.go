// Package attach decides which kernel hook each program of a tool uses and
// attaches it.
//
// A tool lists, per hook, its candidates in order of preference (tp_btf or
// fentry, raw tracepoint, tracepoint, kprobe). Choose takes the first
// candidate the running kernel really offers, found by probing — does the
// BTF type or tracepoint exist, does a trivial program of that type load —
// never by kernel version. The Kernel interface lets tests describe fake
// kernels with other combinations.
package attach
