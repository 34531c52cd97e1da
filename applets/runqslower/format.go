package runqslower

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' runqslower prints them, or JSON.
type printer struct {
	cfg  *config
	now  func() time.Time
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	b := []byte("Tracing run queue latency higher than ")
	b = strconv.AppendUint(b, p.cfg.minUS, 10)
	b = append(b, " us\n"...)
	// "%-8s %-16s %-6s %14s" (+ " %-16s %-6s")
	b = append(b, "TIME     COMM             TID           LAT(us)"...)
	if p.cfg.previous {
		b = append(b, " PREV COMM        PREV TID"...)
	}
	return append(b, '\n')
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		j := &p.json
		j.Reset()
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Str("comm", e.task)
		j.Uint("tid", uint64(e.pid))
		j.Uint("pid", uint64(e.tgid))
		j.Uint("lat_us", e.deltaUS)
		j.Str("prev_comm", e.prevTask)
		j.Uint("prev_tid", uint64(e.prevPID))
		j.Uint("cpu", uint64(e.cpu))
		return j.Bytes()
	}
	b := output.AppendClock(p.line[:0], p.now())
	b = append(b, ' ')
	b = output.AppendPadRight(b, output.AppendEscaped(nil, e.task), 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 6)
	b = append(b, ' ')
	b = output.AppendUintPadLeft(b, e.deltaUS, 14)
	if p.cfg.previous {
		b = append(b, ' ')
		b = output.AppendPadRight(b, output.AppendEscaped(nil, e.prevTask), 16)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(e.prevPID), 6)
	}
	b = append(b, '\n')
	p.line = b
	return b
}
