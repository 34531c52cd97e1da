// Package pagecache reads cachestat's page cache counters
// (bpfobj/cachestat/cachestat.h): per-CPU, only growing, summed here for
// cachestat (which clears them each interval) and the exporter (which
// reads them as they stand).
package pagecache

import (
	"fmt"

	"github.com/cilium/ebpf"
)

// Counter slots, as CS_* in bpfobj/cachestat/cachestat.h.
const (
	Added          = iota // CS_APCL: pages added to the page cache (misses)
	Accessed              // CS_MPA: page cache accesses
	BuffersDirtied        // CS_MBD: buffers marked dirty
	PagesDirtied          // CS_APD: pages dirtied
	Slots
)

// Counts are the four counters, summed over the CPUs.
type Counts [Slots]int64

// Read sums each counter of the counts map over the CPUs.
func Read(m *ebpf.Map) (Counts, error) {
	var out Counts
	for i := range out {
		var perCPU []int64
		if err := m.Lookup(uint32(i), &perCPU); err != nil {
			return out, fmt.Errorf("reading page cache counters: %w", err)
		}
		for _, n := range perCPU {
			out[i] += n
		}
	}
	return out, nil
}

// Clear zeroes every counter on every CPU.
func Clear(m *ebpf.Map) error {
	zero := make([]int64, ebpf.MustPossibleCPU())
	for i := range Slots {
		if err := m.Update(uint32(i), zero, ebpf.UpdateAny); err != nil {
			return fmt.Errorf("clearing page cache counters: %w", err)
		}
	}
	return nil
}
