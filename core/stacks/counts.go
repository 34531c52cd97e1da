package stacks

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
)

// Layout of struct pb_stack_key (bpfobj/include/stacks.bpf.h); a layout
// test in each tool compares it with the bpf2go type.
const (
	KeySize    = 32
	keyCommOff = 16
	commLen    = 16
)

// Count is one counts-map entry.
type Count struct {
	Key
	Value uint64
}

// DecodeKey reads a struct pb_stack_key.
func DecodeKey(b []byte) (Key, error) {
	if len(b) < KeySize {
		return Key{}, fmt.Errorf("short stack key: %d bytes", len(b))
	}
	comm := b[keyCommOff : keyCommOff+commLen]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	return Key{
		PID:      binary.NativeEndian.Uint32(b),
		TID:      binary.NativeEndian.Uint32(b[4:]),
		UserID:   int32(binary.NativeEndian.Uint32(b[8:])),
		KernelID: int32(binary.NativeEndian.Uint32(b[12:])),
		Comm:     string(comm),
	}, nil
}

// ReadCounts copies a counts map (struct pb_stack_key → u64) out; with
// clear, it deletes what it read, so the next interval starts from zero.
func ReadCounts(m *ebpf.Map, clear bool) ([]Count, error) {
	var (
		key  = make([]byte, KeySize)
		val  uint64
		out  []Count
		keys [][]byte
	)
	it := m.Iterate()
	for it.Next(&key, &val) {
		k, err := DecodeKey(key)
		if err != nil {
			return nil, err
		}
		out = append(out, Count{Key: k, Value: val})
		if clear {
			keys = append(keys, bytes.Clone(key))
		}
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", m.String(), err)
	}
	for _, k := range keys {
		if err := m.Delete(k); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil, fmt.Errorf("clearing %s: %w", m.String(), err)
		}
	}
	return out, nil
}

// RawCount is a counts-map entry whose key a tool decodes itself.
type RawCount struct {
	Key   []byte
	Value uint64
}

// ReadRaw copies a counts map with keys of keySize bytes and u64 values.
func ReadRaw(m *ebpf.Map, keySize int) ([]RawCount, error) {
	key := make([]byte, keySize)
	var val uint64
	var out []RawCount
	it := m.Iterate()
	for it.Next(&key, &val) {
		out = append(out, RawCount{Key: bytes.Clone(key), Value: val})
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", m.String(), err)
	}
	return out, nil
}

// CString is a fixed-size C string field up to its NUL.
func CString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
