package dcsnoop

import (
	"time"

	"github.com/probebox/probebox/core/output"
)

type printer struct {
	timestamp, json bool
	start           uint64 // CLOCK_MONOTONIC ns when tracing started
	line            []byte
}

func newPrinter(c *config, start uint64) *printer {
	return &printer{timestamp: c.timestamp, json: c.json, start: start}
}

// header is libbpf-tools' "%-11s " (or, with -T, "%-8s ") and
// "%-7s %-7s %-16s %1s %s".
func (p *printer) header() []byte {
	if p.timestamp {
		return []byte("TIME(s)  PID     TID     COMM             T FILE\n")
	}
	return []byte("S-TIME(s)   PID     TID     COMM             T FILE\n")
}

func typeLetter(t uint32) string {
	if t == typeReference {
		return "R"
	}
	return "M"
}

// format appends one lookup: seconds since start ("%-11.6f") or the
// clock (-T), pid, tid, comm, M or R, the name; or a JSON object.
func (p *printer) format(e *event, now time.Time) []byte {
	b := p.line[:0]
	var since float64
	if e.tsNs > p.start {
		since = float64(e.tsNs-p.start) / 1e9
	}
	if p.json {
		var j output.JSONLine
		j.Reset()
		j.Uint("timestamp_ns", e.tsNs)
		if p.timestamp {
			j.Str("time", output.AppendClock(nil, now))
		}
		j.Uint("pid", uint64(e.pid))
		j.Uint("tid", uint64(e.tid))
		j.Str("comm", e.comm)
		j.Str("type", []byte(typeLetter(e.typ)))
		j.Str("file", e.name)
		p.line = append(b, j.Bytes()...)
		return p.line
	}
	if p.timestamp {
		b = output.AppendClock(b, now)
		b = append(b, ' ')
	} else {
		b = output.AppendElapsed(b, since, 11, 6)
		b = append(b, ' ')
	}
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.tid), 7)
	b = append(b, ' ')
	b = output.AppendPadRight(b, output.AppendEscaped(nil, e.comm), 16)
	b = append(b, ' ')
	b = append(b, typeLetter(e.typ)...)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.name)
	p.line = append(b, '\n')
	return p.line
}
