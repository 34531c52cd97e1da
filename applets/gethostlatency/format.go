package gethostlatency

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' gethostlatency prints them, or
// as JSON.
type printer struct {
	cfg  *config
	now  func() time.Time
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	return []byte("TIME     PID     COMM             LATms      HOST\n")
}

// format returns the line for e, valid until the next call.
func (p *printer) format(e *event) []byte {
	ms := float64(e.latNs) / 1e6
	if p.cfg.json {
		j := &p.json
		j.Reset()
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Uint("timestamp_ns", e.tsNs)
		j.Int("pid", int64(e.pid))
		j.Int("tid", int64(e.tid))
		j.Str("comm", e.comm)
		j.Float("lat_ms", ms, 3)
		j.Uint("lat_ns", e.latNs)
		j.Str("host", e.host)
		j.Str("func", []byte(e.funcName()))
		j.Int("ret", e.ret)
		j.Bool("found", e.found())
		j.Uint("cgroup_id", e.cgroupID)
		return j.Bytes()
	}
	b := output.AppendClock(p.line[:0], p.now())
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	start = len(b)
	b = strconv.AppendFloat(b, ms, 'f', 3, 64)
	for len(b)-start < 10 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.host)
	b = append(b, '\n')
	p.line = b
	return b
}
