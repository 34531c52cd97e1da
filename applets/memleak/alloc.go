package memleak

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/uprobes"
)

// Layout of the allocs map: a u64 address and struct memleak_alloc
// (bpfobj/memleak/memleak.h).
const (
	keySize   = 8
	valueSize = 24
)

// alloc is one outstanding allocation.
type alloc struct {
	addr, size, tsNs uint64
	stackID          int32
}

func decodeAlloc(k, v []byte) (alloc, error) {
	if len(k) < keySize || len(v) < valueSize {
		return alloc{}, fmt.Errorf("short allocation: key %d, value %d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	return alloc{addr: ne.Uint64(k), size: ne.Uint64(v), tsNs: ne.Uint64(v[8:]), stackID: int32(ne.Uint32(v[16:]))}, nil
}

// readAllocs reads (and keeps: they are outstanding until freed) the
// allocs map.
func readAllocs(m *ebpf.Map) ([]alloc, error) {
	var (
		k, v = make([]byte, keySize), make([]byte, valueSize)
		out  []alloc
	)
	it := m.Iterate()
	for it.Next(&k, &v) {
		a, err := decodeAlloc(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, it.Err()
}

// combined is the outstanding allocations of one stack.
type combined struct {
	stackID   int32
	bytes, nr uint64
	allocs    []alloc // -a
	frames    []syms.Frame
	missed    bool
}

// combine adds up the allocations at least olderNs old (at now, in
// CLOCK_MONOTONIC ns) by stack, largest first, the top ones. Allocations
// whose stack was lost are left out, as libbpf-tools does (the stack map's
// refusals are reported).
func combine(as []alloc, now, olderNs uint64, top int) []combined {
	by := map[int32]*combined{}
	for _, a := range as {
		if a.stackID < 0 || now-olderNs < a.tsNs {
			continue
		}
		c := by[a.stackID]
		if c == nil {
			c = &combined{stackID: a.stackID}
			by[a.stackID] = c
		}
		c.bytes += a.size
		c.nr++
		c.allocs = append(c.allocs, a)
	}
	out := make([]combined, 0, len(by))
	for _, c := range by {
		slices.SortFunc(c.allocs, func(x, y alloc) int { return cmpU64(x.addr, y.addr) })
		out = append(out, *c)
	}
	slices.SortFunc(out, func(x, y combined) int {
		if x.bytes != y.bytes {
			return cmpU64(y.bytes, x.bytes)
		}
		return int(x.stackID) - int(y.stackID)
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// monotonicNow is CLOCK_MONOTONIC in ns, bpf_ktime_get_ns's clock.
func monotonicNow() uint64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}

// allocatorObject is the file whose allocator functions get the uprobes:
// -O OBJECT (a path, or a program or library the process maps), else the
// C library the process maps (glibc's or musl's), read through
// /proc/PID/root (a container's own).
func allocatorObject(pid uint32, object string) (string, error) {
	if strings.Contains(object, "/") {
		p, err := uprobes.FindLibrary(object, int(pid))
		if err != nil {
			return "", fmt.Errorf("-O %w", err)
		}
		return p, nil
	}
	names, what := []string{"libc", "ld-musl"}, "libc"
	if object != "" {
		names, what = []string{object}, object
	}
	for _, n := range names {
		p, err := uprobes.Mapped(int(pid), n)
		if p != "" || err != nil {
			return p, err
		}
	}
	return "", fmt.Errorf("process %d maps no %s (a static binary has no libc to probe: give its allocator with -O)", pid, what)
}
