// Package hist prints the histograms the bcc libbpf-tools print: the
// power-of-two form of print_log2_hist and the fixed-step form of
// print_linear_hist (libbpf-tools/trace_helpers.c), byte for byte, so that
// probebox applets read exactly like the tools they replace. It also writes
// the same buckets as JSON for --json output, and gives Log2Slot, the slot
// rule the BPF programs use, for Go-side aggregation.
//
// Slot i of a log2 histogram holds [2^i, 2^(i+1)-1]; slot 0 also holds 0.
//
// The C printers take 32-bit counts and print them with %d, and scale the
// bars in 32-bit arithmetic. Here counts are 64-bit and the arithmetic is
// exact, so the text matches libbpf-tools whenever the largest count times
// 40 fits in 32 bits (counts below 107374182); above that the C output
// itself is garbled by overflow.
package hist
