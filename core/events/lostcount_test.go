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

// TestPerCPUSumSlot: another slot than 0 (map_full counters), summed over
// CPUs, through the raw lookup.
func TestPerCPUSumSlot(t *testing.T) {
	livetest.Require(t)
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	cpus, err := ebpf.PossibleCPU()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]uint64, cpus)
	for i := range vals {
		vals[i] = 5
	}
	if err := m.Put(uint32(2), vals); err != nil {
		t.Fatal(err)
	}
	p := NewPerCPUSum(m)
	if got, ok := p.Sum(2); !ok || got != uint64(5*cpus) {
		t.Errorf("slot 2: %d, %v; want %d", got, ok, 5*cpus)
	}
	if got, ok := p.Sum(1); !ok || got != 0 {
		t.Errorf("slot 1: %d, %v; want 0", got, ok)
	}
	if _, ok := p.Sum(3); ok {
		t.Error("slot 3 of 3: lookup reported ok")
	}
}
