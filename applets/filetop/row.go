package filetop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
)

// Layout of struct filetop_key and filetop_val (bpfobj/filetop/filetop.h).
const (
	keySize   = 24
	valueSize = 120
	offComm   = 32
	offName   = 48
	nameLen   = 64
	offType   = 112
)

type row struct {
	inode                                uint64
	dev, rdev, pid, tid                  uint32
	reads, readBytes, writes, writeBytes uint64
	comm, filename                       []byte
	typ                                  byte
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return slices.Clone(b)
}

func decodeRow(k, v []byte) (row, error) {
	if len(k) < keySize || len(v) < valueSize {
		return row{}, fmt.Errorf("short entry: key %d, value %d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	return row{
		inode: ne.Uint64(k), dev: ne.Uint32(k[8:]), rdev: ne.Uint32(k[12:]), pid: ne.Uint32(k[16:]), tid: ne.Uint32(k[20:]),
		reads: ne.Uint64(v), readBytes: ne.Uint64(v[8:]), writes: ne.Uint64(v[16:]), writeBytes: ne.Uint64(v[24:]),
		comm: cstr(v[offComm : offComm+16]), filename: cstr(v[offName : offName+nameLen]), typ: v[offType],
	}, nil
}

// sortRows orders rows biggest first by -s ("all": reads + writes + bytes
// read + bytes written, as libbpf-tools); ties by TID then name.
func sortRows(rows []row, by sortBy) {
	metric := func(r row) uint64 {
		switch by {
		case sortReads:
			return r.reads
		case sortWrites:
			return r.writes
		case sortRbytes:
			return r.readBytes
		case sortWbytes:
			return r.writeBytes
		}
		return r.reads + r.writes + r.readBytes + r.writeBytes
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if ma, mb := metric(a), metric(b); ma != mb {
			if ma > mb {
				return -1
			}
			return 1
		}
		if a.tid != b.tid {
			return int(int64(a.tid) - int64(b.tid))
		}
		return bytes.Compare(a.filename, b.filename)
	})
}
