package filelife

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// Layout of struct filelife_event (bpfobj/filelife/filelife.h).
const (
	offComm   = 16
	offFile   = 32
	fileLen   = 64
	eventSize = offFile + fileLen
)

type event struct {
	ageNs      uint64
	pid, tid   uint32
	comm, file []byte
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short filelife event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.ageNs, e.pid, e.tid = ne.Uint64(b), ne.Uint32(b[8:]), ne.Uint32(b[12:])
	e.comm = cstr(b[offComm : offComm+16])
	e.file = cstr(b[offFile : offFile+fileLen])
	return nil
}

// headerLine is libbpf-tools' "%-8s %-6s %-16s %-7s %s".
const headerLine = "TIME     PID    COMM             AGE(s)  FILE\n"

// format appends "%-8s %-6d %-16s %-7.2f %s" or a JSON object.
func format(b []byte, e *event, now time.Time, json bool) []byte {
	if json {
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, now))
		j.Uint("pid", uint64(e.pid))
		j.Uint("tid", uint64(e.tid))
		j.Str("comm", e.comm)
		j.Uint("age_ns", e.ageNs)
		j.Str("file", e.file)
		return append(b, j.Bytes()...)
	}
	b = output.AppendClock(b, now)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 6)
	b = append(b, ' ')
	b = output.AppendPadRight(b, output.AppendEscaped(nil, e.comm), 16)
	b = append(b, ' ')
	b = output.AppendPadRight(b, strconv.AppendFloat(nil, float64(e.ageNs)/1e9, 'f', 2, 64), 7)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.file)
	return append(b, '\n')
}
