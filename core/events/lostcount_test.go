package events

import (
	"testing"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/livetest"
)

// TestLostCounterSumsCPUs: the raw lookup reads every CPU's slot of a real
// per-CPU array (the layout the BPF side's lost_events has) and sums them,
// as Map.Lookup would.
func TestLostCounterSumsCPUs(t *testing.T) {
	livetest.Require(t)
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	cpus, err := ebpf.PossibleCPU()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]uint64, cpus)
	var want uint64
	for i := range vals {
		vals[i] = uint64(1000*i + 7)
		want += vals[i]
	}
	if err := m.Put(uint32(0), vals); err != nil {
		t.Fatal(err)
	}
	c := newLostCounter(m)
	if c.values == nil {
		t.Fatal("a per-CPU u64 array did not get the raw lookup")
	}
	got, ok := c.total()
	if !ok || got != want {
		t.Errorf("total = %d, %v; want %d, true", got, ok, want)
	}
	if n := testing.AllocsPerRun(100, func() { c.total() }); n != 0 {
		t.Errorf("%v allocations per lookup, want 0", n)
	}
	none := newLostCounter(nil)
	if _, ok := none.total(); ok {
		t.Error("no map: total reported ok")
	}
}
