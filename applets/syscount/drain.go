package syscount

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/cilium/ebpf"
)

// valSize is sizeof(struct syscount_val) (bpfobj/syscount/syscount.h).
const valSize = 32

// row is one key of the counts map: a syscall number, or with -P a PID.
type row struct {
	key     uint32
	count   uint64
	totalNs uint64
	comm    []byte
}

func decodeVal(key uint32, b []byte) row {
	ne := binary.NativeEndian
	comm := append([]byte(nil), b[16:32]...)
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	return row{key: key, count: ne.Uint64(b[0:]), totalNs: ne.Uint64(b[8:]), comm: comm}
}

// drain reads and empties the counts map. The batch operation reads and
// deletes in one step, so nothing counted between the two is lost; older
// kernels without it get lookup-then-delete per key.
func drain(m *ebpf.Map) ([]row, error) {
	rows, err := drainBatch(m)
	if err == nil || !errors.Is(err, ebpf.ErrNotSupported) {
		return rows, err
	}
	return drainEach(m)
}

func drainBatch(m *ebpf.Map) ([]row, error) {
	n := int(m.MaxEntries())
	keys := make([]uint32, n)
	vals := make([][valSize]byte, n)
	var cursor ebpf.MapBatchCursor
	var rows []row
	for {
		got, err := m.BatchLookupAndDelete(&cursor, keys, vals, nil)
		for i := 0; i < got; i++ {
			rows = append(rows, decodeVal(keys[i], vals[i][:]))
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		if got == 0 {
			return rows, nil
		}
	}
}

func drainEach(m *ebpf.Map) ([]row, error) {
	var rows []row
	var key uint32
	val := make([]byte, valSize)
	it := m.Iterate()
	var keys []uint32
	for it.Next(&key, &val) {
		rows = append(rows, decodeVal(key, val))
		keys = append(keys, key)
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	for _, k := range keys {
		m.Delete(k)
	}
	return rows, nil
}
