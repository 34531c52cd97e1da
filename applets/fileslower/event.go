package fileslower

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/probebox/probebox/core/output"
)

// Layout of struct fileslower_event (bpfobj/fileslower/fileslower.h).
const (
	offComm   = 36
	offFile   = 52
	eventSize = 88
)

type event struct {
	tsNs, deltaNs, size uint64
	pid, tid            uint32
	write               bool
	comm, file          []byte
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short fileslower event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs, e.deltaNs, e.size = ne.Uint64(b), ne.Uint64(b[8:]), ne.Uint64(b[16:])
	e.pid, e.tid, e.write = ne.Uint32(b[24:]), ne.Uint32(b[28:]), ne.Uint32(b[32:]) != 0
	e.comm = cstr(b[offComm : offComm+16])
	e.file = cstr(b[offFile : offFile+32])
	return nil
}

// headerLine is bcc's "%-8s %-14s %-6s %1s %-7s %7s %s".
const headerLine = "TIME(s)  COMM           TID    D BYTES   LAT(ms) FILENAME\n"

func (e *event) dir() byte {
	if e.write {
		return 'W'
	}
	return 'R'
}

// format appends bcc's "%-8.3f %-14.14s %-6s %1s %-7s %7.2f %s" (time in
// seconds since the first event), or a JSON object.
func format(b []byte, e *event, first uint64, json bool) []byte {
	if json {
		var j output.JSONLine
		j.Reset()
		j.Uint("ts_ns", e.tsNs)
		j.Str("comm", e.comm)
		j.Uint("pid", uint64(e.pid))
		j.Uint("tid", uint64(e.tid))
		j.Str("d", []byte{e.dir()})
		j.Uint("bytes", e.size)
		j.Uint("latency_ns", e.deltaNs)
		j.Str("file", e.file)
		return append(b, j.Bytes()...)
	}
	b = output.AppendPadRight(b, strconv.AppendFloat(nil, float64(e.tsNs-first)/1e9, 'f', 3, 64), 8)
	b = append(b, ' ')
	comm := output.AppendEscaped(nil, e.comm)
	if len(comm) > 14 {
		comm = comm[:14]
	}
	b = output.AppendPadRight(b, comm, 14)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.tid), 6)
	b = append(b, ' ', e.dir(), ' ')
	b = output.AppendIntPadRight(b, int64(e.size), 7)
	b = append(b, ' ')
	b = output.AppendPadLeft(b, strconv.AppendFloat(nil, float64(e.deltaNs)/1e6, 'f', 2, 64), 7)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.file)
	return append(b, '\n')
}
