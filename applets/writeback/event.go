package writeback

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// Layout of struct writeback_event (bpfobj/writeback/writeback.h).
const (
	offName   = 40
	eventSize = offName + 32
)

type event struct {
	latNs            uint64
	nrPages, written int64
	reason, sbDev    uint32
	started          bool
	name             []byte
}

func (e *event) decode(b []byte) error {
	if len(b) < eventSize {
		return fmt.Errorf("short writeback event: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	e.latNs, e.nrPages, e.written = ne.Uint64(b), int64(ne.Uint64(b[8:])), int64(ne.Uint64(b[16:]))
	e.reason, e.sbDev, e.started = ne.Uint32(b[24:]), ne.Uint32(b[28:]), ne.Uint32(b[32:]) != 0
	e.name = b[offName:eventSize]
	if i := bytes.IndexByte(e.name, 0); i >= 0 {
		e.name = e.name[:i]
	}
	return nil
}

// reasons are enum wb_reason's names, as the tracepoint prints them.
var reasons = []string{"background", "vmscan", "sync", "periodic", "laptop_timer", "fs_free_space", "forker_thread", "foreign_flush"}

func reason(r uint32) string {
	if int(r) < len(reasons) {
		return reasons[r]
	}
	return strconv.FormatUint(uint64(r), 10)
}

// headerLine is writeback.bt's "%-9s %-8s %-8s %-16s %s".
const headerLine = "TIME      DEVICE   PAGES    REASON           ms\n"

// pages is what PAGES shows: the pages the work wrote (its budget used)
// when its start was seen; else the budget left, as writeback.bt prints
// it, which is LONG_MAX-based for sync and "write everything" works.
func (e *event) pages() int64 {
	if e.started {
		return e.written
	}
	return e.nrPages
}

// format appends "HH:MM:SS  %-8s %-8d %-16s %d.%03d" (ms with µs), or a
// JSON object.
func format(b []byte, e *event, now time.Time, json bool) []byte {
	if json {
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, now))
		j.Str("device", e.name)
		j.Int("pages", e.pages())
		j.Int("pages_left", e.nrPages)
		j.Str("reason", []byte(reason(e.reason)))
		j.Bool("started", e.started)
		j.Uint("latency_ns", e.latNs)
		j.Uint("sb_major", uint64(e.sbDev>>20))
		j.Uint("sb_minor", uint64(e.sbDev&(1<<20-1)))
		return append(b, j.Bytes()...)
	}
	b = output.AppendClock(b, now)
	b = append(b, "  "...)
	b = output.AppendPadRight(b, output.AppendEscaped(nil, e.name), 8)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, e.pages(), 8)
	b = append(b, ' ')
	b = output.AppendPadRight(b, []byte(reason(e.reason)), 16)
	b = append(b, ' ')
	us := e.latNs / 1000
	b = strconv.AppendUint(b, us/1000, 10)
	b = append(b, '.')
	frac := us % 1000
	if frac < 100 {
		b = append(b, '0')
	}
	if frac < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendUint(b, frac, 10)
	return append(b, '\n')
}
