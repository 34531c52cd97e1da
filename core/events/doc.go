// Package events reads what a tool's BPF programs emit: from the BPF ring
// buffer where the kernel has one, from a perf buffer otherwise. It counts
// every event the kernel could not deliver (the BPF side's lost_events
// counter and perf's lost samples) and reports them; nothing is dropped
// silently.
package events
