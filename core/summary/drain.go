package summary

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cilium/ebpf"
)

// Drain copies every entry of m out, decoded by decode, and deletes them,
// so that the next interval starts from zero. keySize and valueSize are
// the map's (checked by decode).
func Drain[E any](m *ebpf.Map, keySize, valueSize int, decode func(k, v []byte) (E, error)) ([]E, error) {
	var (
		key     = make([]byte, keySize)
		val     = make([]byte, valueSize)
		keys    [][]byte
		entries []E
	)
	it := m.Iterate()
	for it.Next(&key, &val) {
		e, err := decode(key, val)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
		keys = append(keys, slices.Clone(key))
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading the %s map: %w", m.String(), err)
	}
	for _, k := range keys {
		if err := m.Delete(k); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil, fmt.Errorf("clearing the %s map: %w", m.String(), err)
		}
	}
	return entries, nil
}
