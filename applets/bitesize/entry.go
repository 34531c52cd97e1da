package bitesize

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/summary"
)

// Layout of struct bitesize_key and bitesize_hist (bpfobj/bitesize/bitesize.h);
// format_test.go checks it against the bpf2go types.
const (
	maxSlots  = 20
	keySize   = 16
	valueSize = maxSlots * 4
)

// entry is one process name's histogram.
type entry struct {
	comm  []byte
	slots []uint64
}

func decodeEntry(k, v []byte) (entry, error) {
	if len(k) < keySize || len(v) < valueSize {
		return entry{}, fmt.Errorf("short histogram: key %d, value %d bytes", len(k), len(v))
	}
	comm := k[:keySize]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	e := entry{comm: slices.Clone(comm), slots: make([]uint64, maxSlots)}
	for i := range e.slots {
		e.slots[i] = uint64(binary.NativeEndian.Uint32(v[i*4:]))
	}
	return e, nil
}

// drain reads and clears the histograms, sorted by process name.
func drain(m *ebpf.Map) ([]entry, error) {
	es, err := summary.Drain(m, keySize, valueSize, decodeEntry)
	if err != nil {
		return nil, err
	}
	sortEntries(es)
	return es, nil
}

func sortEntries(es []entry) {
	slices.SortFunc(es, func(a, b entry) int { return bytes.Compare(a.comm, b.comm) })
}
