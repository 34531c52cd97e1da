package fsslower

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/fsops"
	"github.com/probebox/probebox/core/output"
)

// Layout of struct fsslower_event (bpfobj/fsslower/fsslower.h).
const (
	offComm   = 40
	offFile   = 56
	eventSize = offFile + 32
)

type event struct {
	endNs, deltaNs uint64
	offset, size   int64
	pid, op        uint32
	comm, file     []byte
}

func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short fsslower event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.endNs, e.deltaNs = ne.Uint64(b), ne.Uint64(b[8:])
	e.offset, e.size = int64(ne.Uint64(b[16:])), int64(ne.Uint64(b[24:]))
	e.pid, e.op = ne.Uint32(b[32:]), ne.Uint32(b[36:])
	e.comm = cstr(b[offComm : offComm+16])
	e.file = cstr(b[offFile:eventSize])
	return nil
}

// opChar is the T column: R(ead), W(rite), O(pen), F(sync).
func (e *event) opChar() byte {
	if e.op < 4 {
		return "RWOF"[e.op]
	}
	return '?'
}

func (e *event) sizeText() []byte {
	if e.size == math.MaxInt64 {
		return []byte("LL_MAX")
	}
	return strconv.AppendInt(nil, e.size, 10)
}

// format appends libbpf-tools' line ("%-8s %-16s %-7d %c %-7zd %-8llu
// %7.2f %s"), its CSV line, or a JSON object.
func format(b []byte, e *event, now time.Time, cfg *config) []byte {
	switch {
	case cfg.json:
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, now))
		j.Uint("end_ns", e.endNs)
		j.Str("comm", e.comm)
		j.Uint("pid", uint64(e.pid))
		op := "unknown"
		if int(e.op) < len(fsops.Ops) {
			op = fsops.Ops[e.op]
		}
		j.Str("operation", []byte(op))
		j.Int("bytes", e.size)
		j.Int("offset", e.offset)
		j.Uint("latency_ns", e.deltaNs)
		j.Str("file", e.file)
		return append(b, j.Bytes()...)
	case cfg.csv:
		b = strconv.AppendUint(b, e.endNs, 10)
		b = append(b, ',')
		b = output.AppendEscaped(b, e.comm)
		b = append(b, ',')
		b = strconv.AppendUint(b, uint64(e.pid), 10)
		b = append(b, ',', e.opChar(), ',')
		b = append(b, e.sizeText()...)
		b = append(b, ',')
		b = strconv.AppendInt(b, e.offset, 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, e.deltaNs/1000, 10)
		b = append(b, ',')
		b = output.AppendEscaped(b, e.file)
		return append(b, '\n')
	}
	b = output.AppendClock(b, now)
	b = append(b, ' ')
	b = output.AppendPadRight(b, output.AppendEscaped(nil, e.comm), 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ', e.opChar(), ' ')
	b = output.AppendPadRight(b, e.sizeText(), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, e.offset/1024, 8)
	b = append(b, ' ')
	b = output.AppendPadLeft(b, strconv.AppendFloat(nil, float64(e.deltaNs)/1e6, 'f', 2, 64), 7)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.file)
	return append(b, '\n')
}
