package loader

import (
	"testing"

	"github.com/cilium/ebpf"
)

func TestRingPerCPU(t *testing.T) {
	cpus, err := ebpf.PossibleCPU()
	if err != nil {
		t.Fatal(err)
	}
	const lo, hi = 256 << 10, 1 << 20
	for _, perCPU := range []int{0, 4 << 10, 64 << 10, 100 << 10, 512 << 10, 64 << 20} {
		want := lo
		for want < perCPU*cpus {
			want <<= 1
		}
		want = min(want, hi)
		got := RingPerCPU(perCPU, lo, hi)
		if got != want {
			t.Errorf("RingPerCPU(%d) on %d CPUs = %d, want %d", perCPU, cpus, got, want)
		}
		if got&(got-1) != 0 || got < lo || got > hi {
			t.Errorf("RingPerCPU(%d) = %d: not a power of two within [%d, %d]", perCPU, got, lo, hi)
		}
	}
}
