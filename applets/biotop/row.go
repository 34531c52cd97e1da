package biotop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
)

// Layout of struct biotop_key and biotop_val (bpfobj/biotop/biotop.h);
// format_test.go checks it against the bpf2go types.
const (
	keySize   = 28
	valueSize = 24
)

// row is one process's reads or writes on one disk in an interval.
type row struct {
	pid, dev  uint32
	write     bool
	comm      []byte
	bytes, us uint64
	io        uint32
}

func decodeRow(k, v []byte) (row, error) {
	if len(k) < keySize || len(v) < valueSize {
		return row{}, fmt.Errorf("short row: key %d, value %d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	comm := k[12:28]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	return row{
		pid: ne.Uint32(k), dev: ne.Uint32(k[4:]), write: ne.Uint32(k[8:]) != 0,
		comm:  slices.Clone(comm),
		bytes: ne.Uint64(v), us: ne.Uint64(v[8:]), io: ne.Uint32(v[16:]),
	}, nil
}

// sortRows orders rows as libbpf-tools' -s does, biggest first ("all":
// the sum of I/Os, bytes and microseconds); ties by PID, then disk and
// direction, so that output is stable.
func sortRows(rows []row, by sortBy) {
	metric := func(r row) uint64 {
		switch by {
		case sortIO:
			return uint64(r.io)
		case sortBytes:
			return r.bytes
		case sortTime:
			return r.us
		}
		return uint64(r.io) + r.bytes + r.us
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if ma, mb := metric(a), metric(b); ma != mb {
			if ma > mb {
				return -1
			}
			return 1
		}
		switch {
		case a.pid != b.pid:
			return int(int64(a.pid) - int64(b.pid))
		case a.dev != b.dev:
			return int(int64(a.dev) - int64(b.dev))
		case a.write != b.write:
			if a.write {
				return 1
			}
			return -1
		}
		return bytes.Compare(a.comm, b.comm)
	})
}
