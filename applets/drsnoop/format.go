package drsnoop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// eventSize is sizeof(struct reclaim_event) (bpfobj/drsnoop/drsnoop.h).
const eventSize = 64

type event struct {
	tsNs, deltaNs, reclaimed, freePages uint64
	pid, tid                            uint32
	memcg                               bool
	comm                                []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short reclaim event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.tsNs = ne.Uint64(b[0:])
	e.deltaNs = ne.Uint64(b[8:])
	e.reclaimed = ne.Uint64(b[16:])
	e.freePages = ne.Uint64(b[24:])
	e.pid = ne.Uint32(b[32:])
	e.tid = ne.Uint32(b[36:])
	e.memcg = ne.Uint32(b[40:]) != 0
	e.comm = b[48:64]
	if i := bytes.IndexByte(e.comm, 0); i >= 0 {
		e.comm = e.comm[:i]
	}
	return nil
}

// printer formats events as libbpf-tools' drsnoop prints them, or JSON.
type printer struct {
	json, extended bool
	pageSize       uint64
	now            func() time.Time
	line           []byte
	j              output.JSONLine
}

func newPrinter(json, extended bool, pageSize int) *printer {
	return &printer{json: json, extended: extended, pageSize: uint64(pageSize), now: time.Now}
}

func (p *printer) header() []byte {
	h := "TIME     COMM             TID     LAT(ms) PAGES"
	if p.extended {
		h += " FREE(KB)"
	}
	return []byte(h + "\n")
}

func (p *printer) format(e *event) []byte {
	if p.json {
		j := &p.j
		j.Reset()
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Uint("timestamp_ns", e.tsNs)
		j.Str("comm", e.comm)
		j.Int("pid", int64(e.pid))
		j.Int("tid", int64(e.tid))
		j.Float("lat_ms", float64(e.deltaNs)/1e6, 3)
		j.Uint("pages", e.reclaimed)
		if e.memcg {
			j.Str("scope", []byte("memcg"))
		} else {
			j.Str("scope", []byte("global"))
		}
		if p.extended {
			j.Uint("free_kb", e.freePages*p.pageSize/1024)
		}
		return j.Bytes()
	}
	b := p.line[:0]
	b = output.AppendClock(b, p.now())
	b = append(b, ' ')
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.tid), 6)
	b = append(b, ' ')
	b = output.AppendPadLeft(b, strconv.AppendFloat(nil, float64(e.deltaNs)/1e6, 'f', 3, 64), 8)
	b = append(b, ' ')
	b = output.AppendUintPadLeft(b, e.reclaimed, 5)
	if p.extended {
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, e.freePages*p.pageSize/1024, 8)
	}
	b = append(b, '\n')
	p.line = b
	return b
}
