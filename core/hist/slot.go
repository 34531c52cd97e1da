package hist

import "math/bits"

// MaxLog2Slots is how many log2 slots uint64 values can fill.
const MaxLog2Slots = 64

// Log2Slot is the slot the BPF side (log2l in libbpf-tools bits.bpf.h)
// puts v in: floor(log2(v)), and 0 for v == 0.
func Log2Slot(v uint64) int {
	if v == 0 {
		return 0
	}
	return bits.Len64(v) - 1
}

// log2Bounds is the value range print_log2_hist labels slot i with
// (i < MaxLog2Slots): 2^i to 2^(i+1)-1, except slot 0 which starts at 0.
func log2Bounds(i int) (low, high uint64) {
	low = uint64(1) << i
	high = low<<1 - 1 // wraps to MaxUint64 for slot 63, as intended
	if i == 0 {
		low = 0
	}
	return low, high
}

// lastNonZero is the index of the last non-zero count, -1 if none.
func lastNonZero(vals []uint64) int {
	for i := len(vals) - 1; i >= 0; i-- {
		if vals[i] != 0 {
			return i
		}
	}
	return -1
}

func maxOf(vals []uint64) uint64 {
	var m uint64
	for _, v := range vals {
		m = max(m, v)
	}
	return m
}
