package runqlen

import (
	"fmt"

	"github.com/cilium/ebpf"
)

// maxSlots is RUNQLEN_MAX_SLOTS (bpfobj/runqlen/runqlen.h).
const maxSlots = 32

// cpuHist is one CPU's samples by run queue length during a summary.
type cpuHist struct {
	cpu   int
	slots []uint64
}

func (h cpuHist) samples() (n uint64) {
	for _, v := range h.slots {
		n += v
	}
	return n
}

// occupancy is the share of samples that found a task waiting.
func (h cpuHist) occupancy() float64 {
	n := h.samples()
	if n == 0 {
		return 0
	}
	return float64(n-h.slots[0]) / float64(n)
}

// readHists reads every CPU's running totals.
func readHists(m *ebpf.Map, ncpu int) ([][]uint64, error) {
	out := make([][]uint64, ncpu)
	var v [maxSlots]uint64
	for cpu := range ncpu {
		if err := m.Lookup(uint32(cpu), &v); err != nil {
			return nil, fmt.Errorf("reading run queue histograms: %w", err)
		}
		out[cpu] = append([]uint64(nil), v[:]...)
	}
	return out, nil
}

// deltas are the samples since the previous read (prev nil: since load).
func deltas(cur, prev [][]uint64) []cpuHist {
	out := make([]cpuHist, len(cur))
	for cpu, slots := range cur {
		d := make([]uint64, len(slots))
		for i, v := range slots {
			d[i] = v
			if prev != nil {
				d[i] -= prev[cpu][i]
			}
		}
		out[cpu] = cpuHist{cpu: cpu, slots: d}
	}
	return out
}

// total sums the CPUs into one histogram.
func total(hs []cpuHist) cpuHist {
	t := cpuHist{cpu: -1, slots: make([]uint64, maxSlots)}
	for _, h := range hs {
		for i, v := range h.slots {
			t.slots[i] += v
		}
	}
	return t
}
