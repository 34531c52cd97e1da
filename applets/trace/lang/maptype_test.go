package lang

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// TestScalarMapsAreArrays: key-less aggregations are one-element per-CPU
// arrays whose update is one lookup (no element to create); keyed ones,
// histograms, assignments and delete()d scalars stay hashes.
func TestScalarMapsAreArrays(t *testing.T) {
	prog, err := Parse("t", `tracepoint:syscalls:sys_enter_read {
	@c = count(); @s = sum(1); @a = avg(2); @mn = min(3); @mx = max(4); @st = stats(5);
	@k[pid] = count(); @h = hist(6); @i = 7; @d = count(); delete(@d); }`)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(prog, newFakeEnv(), Options{Arch: "amd64"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ebpf.MapType{
		"c": ebpf.PerCPUArray, "s": ebpf.PerCPUArray, "a": ebpf.PerCPUArray, "mn": ebpf.PerCPUArray, "mx": ebpf.PerCPUArray, "st": ebpf.PerCPUArray,
		"k": ebpf.PerCPUHash, "h": ebpf.PerCPUHash, "i": ebpf.Hash, "d": ebpf.PerCPUHash,
	}
	for _, m := range c.Maps {
		spec := c.MapSpecs[mapName(m)]
		if spec.Type != want[m.Name] {
			t.Errorf("@%s: %v, want %v", m.Name, spec.Type, want[m.Name])
		}
		if spec.Type == ebpf.PerCPUArray && (spec.KeySize != 4 || spec.MaxEntries != 1) {
			t.Errorf("@%s: key size %d, %d entries; want 4 and 1", m.Name, spec.KeySize, spec.MaxEntries)
		}
	}
	// One lookup per update: on a miss, a per-CPU hash element is made
	// with one map update, not created empty and looked up again.
	lookups := 0
	for _, ins := range c.Probes[0].Spec.Instructions {
		if ins.IsBuiltinCall() && ins.Constant == int64(asm.FnMapLookupElem) {
			lookups++
		}
	}
	if lookups != 9 {
		t.Errorf("%d map lookups, want 9\n%v", lookups, c.Probes[0].Spec.Instructions)
	}
}

// TestKeyNotZeroedTwice: an integer key is written once, without zeroing
// its stack slot first; comm is zeroed once (16 bytes, two stores) because
// bpf_get_current_comm left the bytes after the NUL as they were before 6.x.
func TestKeyNotZeroedTwice(t *testing.T) {
	prog, err := Parse("t", `tracepoint:syscalls:sys_enter_read { @[comm] = count(); @p[pid] = count(); }`)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(prog, newFakeEnv(), Options{Arch: "amd64"})
	if err != nil {
		t.Fatal(err)
	}
	insns := c.Probes[0].Spec.Instructions
	// The zero stores: comm's 16 bytes, and the two misses' initial values.
	if n := strings.Count(insns.String(), "StMemDW"); n != 4 {
		t.Errorf("%d immediate stores, want 4 (comm's two, the initial values)\n%v", n, insns)
	}
}
