package biolatency

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/cilium/ebpf"
)

// Layout of struct biolatency_key and biolatency_hist
// (bpfobj/include/biolatency.h); format_test.go checks it against the
// bpf2go-generated types.
const (
	maxSlots  = 27
	keySize   = 8
	valueSize = maxSlots * 4
)

// entry is one histogram copied out of the hists map.
type entry struct {
	dev, cmdFlags uint32
	slots         []uint64
}

func decodeEntry(k, v []byte) (entry, error) {
	if len(k) < keySize || len(v) < valueSize {
		return entry{}, fmt.Errorf("short histogram: key %d, value %d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	e := entry{dev: ne.Uint32(k), cmdFlags: ne.Uint32(k[4:]), slots: make([]uint64, maxSlots)}
	for i := range e.slots {
		e.slots[i] = uint64(ne.Uint32(v[i*4:]))
	}
	return e, nil
}

// drain copies every histogram out of m, sorted by disk then flags, and
// deletes them, so the next summary starts from zero.
func drain(m *ebpf.Map) ([]entry, error) {
	var (
		key     = make([]byte, keySize)
		val     = make([]byte, valueSize)
		keys    [][]byte
		entries []entry
	)
	it := m.Iterate()
	for it.Next(&key, &val) {
		e, err := decodeEntry(key, val)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
		keys = append(keys, slices.Clone(key))
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading histograms: %w", err)
	}
	for _, k := range keys {
		if err := m.Delete(k); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil, fmt.Errorf("clearing histograms: %w", err)
		}
	}
	sortEntries(entries)
	return entries, nil
}

func sortEntries(entries []entry) {
	slices.SortFunc(entries, func(a, b entry) int {
		if a.dev != b.dev {
			return int(int64(a.dev) - int64(b.dev))
		}
		return int(int64(a.cmdFlags) - int64(b.cmdFlags))
	})
}
