package cpudist

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/cilium/ebpf"
)

// Layout of struct cpudist_hist (bpfobj/cpudist/cpudist.h); format_test.go
// checks it against the bpf2go-generated type.
const (
	maxSlots  = 36
	commLen   = 16
	commOff   = maxSlots * 4
	valueSize = commOff + commLen
	allKey    = ^uint32(0) // CPUDIST_ALL_KEY
)

// entry is one histogram copied out of the hists map.
type entry struct {
	key   uint32
	comm  []byte
	slots []uint64
}

func decodeEntry(key uint32, v []byte) (entry, error) {
	if len(v) < valueSize {
		return entry{}, fmt.Errorf("short histogram value: %d bytes", len(v))
	}
	e := entry{key: key, slots: make([]uint64, maxSlots)}
	for i := range e.slots {
		e.slots[i] = uint64(binary.NativeEndian.Uint32(v[i*4:]))
	}
	comm := v[commOff:valueSize]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	e.comm = bytes.Clone(comm)
	return e, nil
}

// drain copies every histogram out of m, sorted by key, and deletes them,
// so the next summary starts from zero.
func drain(m *ebpf.Map) ([]entry, error) {
	var (
		key     uint32
		val     = make([]byte, valueSize)
		entries []entry
	)
	it := m.Iterate()
	for it.Next(&key, &val) {
		e, err := decodeEntry(key, val)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading histograms: %w", err)
	}
	for _, e := range entries {
		if err := m.Delete(e.key); err != nil && !isNotExist(err) {
			return nil, fmt.Errorf("clearing histograms: %w", err)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return int(int64(a.key) - int64(b.key)) })
	return entries, nil
}
