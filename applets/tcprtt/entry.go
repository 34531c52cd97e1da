package tcprtt

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/netfmt"
)

// Layout of struct tcprtt_key and struct tcprtt_hist (tcprtt.h); the
// layout test checks it against the bpf2go types.
const (
	maxSlots  = 27
	keySize   = 24
	keyAFOff  = 16
	valueSize = 16 + maxSlots*4 + 4
)

// entry is one histogram copied out of the hists map.
type entry struct {
	addr         netip.Addr // invalid for the all-addresses histogram
	latency, cnt uint64
	slots        []uint64
	key          []byte
}

func decodeEntry(k, v []byte) (entry, error) {
	if len(k) < keySize || len(v) < valueSize {
		return entry{}, fmt.Errorf("short histogram entry: %d/%d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	e := entry{latency: ne.Uint64(v), cnt: ne.Uint64(v[8:]), slots: make([]uint64, maxSlots), key: slices.Clone(k)}
	for i := range e.slots {
		e.slots[i] = uint64(ne.Uint32(v[16+i*4:]))
	}
	if af := ne.Uint16(k[keyAFOff:]); af != 0 {
		e.addr, _ = netfmt.Addr(af, k[:16])
	}
	return e, nil
}

// drain copies every histogram out of m, sorted by address, and deletes
// them, so the next summary starts from zero.
func drain(m *ebpf.Map) ([]entry, error) {
	var (
		k, v    = make([]byte, keySize), make([]byte, valueSize)
		entries []entry
	)
	it := m.Iterate()
	for it.Next(&k, &v) {
		e, err := decodeEntry(k, v)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading histograms: %w", err)
	}
	for _, e := range entries {
		if err := m.Delete(e.key); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil, fmt.Errorf("clearing histograms: %w", err)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.addr.String(), b.addr.String()) })
	return entries, nil
}
