package events

import (
	"runtime"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// lostCounter reads the per-CPU "lost_events" counter (key 0) with one
// bpf(2) call into a buffer sized once.
//
// Why not Map.Lookup: that goes through reflection and encoding/binary to
// size and decode the value, and allocates, once a second for the life of
// the tool; the code it runs (64 KiB of executable faulted in per
// function touched) is what a streaming tool's resident memory is made of
// once start-up code is dropped (core/memtrim).
type lostCounter struct {
	m      *ebpf.Map
	key    uint32
	values []uint64 // one per possible CPU
}

func newLostCounter(m *ebpf.Map) *lostCounter {
	if m == nil || m.Type() != ebpf.PerCPUArray || m.ValueSize() != 8 {
		return &lostCounter{m: m}
	}
	cpus, err := ebpf.PossibleCPU()
	if err != nil {
		return &lostCounter{m: m}
	}
	return &lostCounter{m: m, values: make([]uint64, cpus)}
}

// bpfMapLookupAttr is the kernel's union bpf_attr for BPF_MAP_LOOKUP_ELEM.
type bpfMapLookupAttr struct {
	mapFD uint32
	_     uint32
	key   uint64
	value uint64
	flags uint64
}

// total is the sum over CPUs; ok is false when the lookup failed.
func (c *lostCounter) total() (uint64, bool) { return c.sum(0) }

// PerCPUSum reads slots of a per-CPU u64 array as sums over CPUs, with
// the same reflection-free lookup as the lost count (loader.MapFull reads
// the map_full counters with it once a second).
type PerCPUSum struct{ c *lostCounter }

// NewPerCPUSum reads m (any map Map.Lookup can read into []uint64).
func NewPerCPUSum(m *ebpf.Map) PerCPUSum { return PerCPUSum{newLostCounter(m)} }

// Sum is slot key's total over CPUs; ok is false when the lookup failed.
func (p PerCPUSum) Sum(key uint32) (uint64, bool) { return p.c.sum(key) }

func (c *lostCounter) sum(key uint32) (uint64, bool) {
	if c.m == nil {
		return 0, false
	}
	if c.values == nil {
		// Not a per-CPU u64 array: the general (slower) path.
		var perCPU []uint64
		if err := c.m.Lookup(key, &perCPU); err != nil {
			return 0, false
		}
		return sum(perCPU), true
	}
	c.key = key
	attr := bpfMapLookupAttr{
		mapFD: uint32(c.m.FD()),
		key:   uint64(uintptr(unsafe.Pointer(&c.key))),
		value: uint64(uintptr(unsafe.Pointer(&c.values[0]))),
	}
	_, _, errno := unix.Syscall(unix.SYS_BPF, unix.BPF_MAP_LOOKUP_ELEM, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
	runtime.KeepAlive(c)
	if errno != 0 {
		return 0, false
	}
	return sum(c.values), true
}

func sum(xs []uint64) uint64 {
	var n uint64
	for _, x := range xs {
		n += x
	}
	return n
}
