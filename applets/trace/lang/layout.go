package lang

import (
	"fmt"
	"sort"

	"github.com/cilium/ebpf"
)

// layoutResources gives every resource the generated programs refer to its BPF
// map: the event ring, the program's maps (per-CPU where only user space
// reads them whole), the stack maps of each kstack/ustack depth used and
// the user-stack walker's maps.
func (c *compiler) layoutResources(out *Compiled) {
	out.MapSpecs = c.baseMaps()
	for depth := range c.stackDepths {
		name := StackMapName(Type{Bits: depth})
		out.MapSpecs[name] = &ebpf.MapSpec{Name: name, Type: ebpf.StackTrace, KeySize: 4, ValueSize: uint32(8 * depth), MaxEntries: 4096}
	}
	if c.walked {
		out.Walked = true
		for name, m := range c.ustackWalker().Maps {
			out.MapSpecs[name] = m.Copy()
		}
	}
	if c.skbEvents {
		// MaxEntries 0: one slot per possible CPU, filled at load.
		out.MapSpecs[SkbEventsMap] = &ebpf.MapSpec{Name: SkbEventsMap, Type: ebpf.PerfEventArray}
		out.SkbOutputs = c.skbOutputs
	}
	for _, m := range c.maps {
		out.Maps = append(out.Maps, m)
		typ, entries := ebpf.Hash, uint32(4096)
		switch {
		case m.IsArray():
			typ, entries = ebpf.PerCPUArray, 1
		case m.PerCPU():
			typ = ebpf.PerCPUHash
		}
		out.MapSpecs[mapName(m)] = &ebpf.MapSpec{Name: mapName(m), Type: typ, KeySize: uint32(m.KeySize()), ValueSize: uint32(m.ValueSize()), MaxEntries: entries}
	}
	sort.Slice(out.Maps, func(i, j int) bool { return out.Maps[i].Name < out.Maps[j].Name })
	out.Printfs = c.printfs
	out.Warnings = c.warnings
}

// mapName is the BPF map name: short, as the kernel limits names to 15 bytes.
func mapName(m *MapInfo) string { return fmt.Sprintf("m%d", m.ID) }

func (c *compiler) baseMaps() map[string]*ebpf.MapSpec {
	return map[string]*ebpf.MapSpec{
		"events":      {Name: "events", Type: ebpf.RingBuf, MaxEntries: 1 << 20},
		"lost_events": {Name: "lost_events", Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1},
	}
}
