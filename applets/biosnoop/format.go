package biosnoop

import (
	"fmt"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' biosnoop prints them, or JSON.
type printer struct {
	cfg     *config
	names   func(dev uint32) (string, bool)
	flags   *blockdev.Flags
	now     func() time.Time
	startNs uint64 // the first event's time: TIME(s) counts from it
	line    []byte
	scratch []byte
	json    output.JSONLine
}

func newPrinter(cfg *config, names func(uint32) (string, bool), flags *blockdev.Flags) *printer {
	return &printer{cfg: cfg, names: names, flags: flags, now: time.Now}
}

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = output.AppendPadRight(b, []byte("TIMESTAMP"), 12)
	} else {
		b = output.AppendPadRight(b, []byte("TIME(s)"), 11)
	}
	b = append(b, ' ')
	for _, col := range []struct {
		name  string
		width int
	}{{"COMM", 14}, {"PID", 7}, {"DISK", 7}, {"T", 4}, {"SECTOR", 10}, {"BYTES", 7}} {
		b = output.AppendPadRight(b, []byte(col.name), col.width)
		b = append(b, ' ')
	}
	if p.cfg.queued {
		b = append(b, "QUE(ms) "...)
	}
	return append(b, "LAT(ms)\n"...)
}

func (p *printer) disk(dev uint32) []byte {
	if name, ok := p.names(dev); ok {
		return []byte(name)
	}
	return []byte("Unknown")
}

// appendWallClock is "%-8s.%03ld": local HH:MM:SS and milliseconds.
func appendWallClock(b []byte, t time.Time) []byte {
	b = output.AppendClock(b, t)
	ms := t.Nanosecond() / 1_000_000
	return append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
}

// appendMs is "%7.3f" of nanoseconds in milliseconds.
func appendMs(b []byte, ns float64) []byte {
	var tmp [32]byte
	return output.AppendPadLeft(b, strconv.AppendFloat(tmp[:0], ns/1e6, 'f', 3, 64), 7)
}

func (p *printer) format(e *event) []byte {
	if p.startNs == 0 {
		p.startNs = e.tsNs
	}
	elapsed := float64(e.tsNs-p.startNs) / 1e9
	if p.cfg.json {
		return p.formatJSON(e, elapsed)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = appendWallClock(b, p.now())
	} else {
		b = output.AppendElapsed(b, elapsed, 11, 6)
	}
	b = append(b, ' ')
	comm := e.comm
	if len(comm) > 14 { // %-14.14s
		comm = comm[:14]
	}
	start := len(b)
	b = output.AppendEscaped(b, comm)
	b = append(b, "              "[:max(0, 14-(len(b)-start))]...)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(int32(e.pid)), 7)
	b = append(b, ' ')
	start = len(b)
	b = output.AppendEscaped(b, p.disk(e.dev))
	b = append(b, "       "[:max(0, 7-(len(b)-start))]...)
	b = append(b, ' ')
	p.scratch = p.flags.AppendRWBS(p.scratch[:0], e.cmdFlags)
	b = output.AppendPadRight(b, p.scratch, 4)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.sector), 10)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.len), 7)
	b = append(b, ' ')
	if p.cfg.queued {
		q := float64(e.qdeltaNs)
		if e.qdeltaNs == -1 {
			q = -1e6 // libbpf-tools prints an unknown queue time as -1.000
		}
		b = appendMs(b, q)
		b = append(b, ' ')
	}
	b = appendMs(b, float64(e.deltaNs))
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event, elapsed float64) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	if p.cfg.timestamp {
		j.Str("time", appendWallClock(nil, p.now()))
	}
	j.Float("time_s", elapsed, 6)
	j.Str("comm", e.comm)
	j.Uint("pid", uint64(e.pid))
	j.Str("disk", p.disk(e.dev))
	j.Str("dev", []byte(fmt.Sprintf("%d:%d", blockdev.Major(e.dev), blockdev.Minor(e.dev))))
	j.Str("type", p.flags.AppendRWBS(nil, e.cmdFlags))
	j.Str("flags", p.flags.AppendName(nil, e.cmdFlags))
	j.Int("sector", int64(e.sector)) // flushes have none: -1, as the text column shows
	j.Uint("bytes", uint64(e.len))
	if p.cfg.queued {
		j.Int("que_ns", e.qdeltaNs)
	}
	j.Uint("lat_ns", e.deltaNs)
	return j.Bytes()
}
