package hist

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLog2Slot(t *testing.T) {
	tests := []struct {
		v    uint64
		want int
	}{
		{0, 0}, {1, 0}, {2, 1}, {3, 1}, {4, 2}, {7, 2}, {8, 3},
		{1023, 9}, {1024, 10},
		{1<<32 - 1, 31}, {1 << 32, 32}, {1<<33 - 1, 32}, {1 << 33, 33},
		{1 << 63, 63}, {math.MaxUint64, 63},
	}
	for _, tt := range tests {
		if got := Log2Slot(tt.v); got != tt.want {
			t.Errorf("Log2Slot(%d) = %d, want %d", tt.v, got, tt.want)
		}
	}
}

// bpfLog2l mirrors how bits.bpf.h computes the slot: a branch-free log2 of
// a 32-bit half, plus 32 when the high half is set.
func bpfLog2l(v uint64) int {
	log2 := func(v uint32) uint32 {
		b2u := func(c bool) uint32 {
			if c {
				return 1
			}
			return 0
		}
		r := b2u(v > 0xFFFF) << 4
		v >>= r
		s := b2u(v > 0xFF) << 3
		v >>= s
		r |= s
		s = b2u(v > 0xF) << 2
		v >>= s
		r |= s
		s = b2u(v > 0x3) << 1
		v >>= s
		r |= s
		return r | v>>1
	}
	if hi := uint32(v >> 32); hi != 0 {
		return int(log2(hi)) + 32
	}
	return int(log2(uint32(v)))
}

// Every value lands in the slot whose printed bounds contain it, and in
// the slot the BPF side would pick.
func TestLog2SlotMatchesBoundsAndBPF(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 10000; n++ {
		v := r.Uint64() >> r.IntN(64)
		slot := Log2Slot(v)
		if low, high := log2Bounds(slot); v < low || v > high {
			t.Fatalf("value %d in slot %d, outside [%d, %d]", v, slot, low, high)
		}
		if want := bpfLog2l(v); slot != want {
			t.Fatalf("Log2Slot(%d) = %d, BPF side says %d", v, slot, want)
		}
	}
}
