package threadsnoop

import (
	"strconv"

	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/syms"
)

// symbolizer names a start address in a process (syms.UserSymbols; a
// table in the golden tests).
type symbolizer interface {
	Lookup(pid int, addr uint64) (syms.Symbol, bool)
}

// printer formats events as bcc's threadsnoop prints them (TIME(ms) from
// the first event), or as JSON.
type printer struct {
	cfg   *config
	syms  symbolizer
	first uint64
	line  []byte
	json  output.JSONLine
}

func newPrinter(cfg *config, s symbolizer) *printer { return &printer{cfg: cfg, syms: s} }

func (p *printer) header() []byte {
	return []byte("TIME(ms)   PID     COMM             FUNC\n")
}

// function names the start routine: "name", "name+off", or the address
// in hex inside brackets when no symbol covers it.
func (p *printer) function(e *event) []byte {
	if s, ok := p.syms.Lookup(int(e.pid), e.start); ok && s.Name != "" {
		return []byte(s.String())
	}
	return append(strconv.AppendUint([]byte("[unknown 0x"), e.start, 16), ']')
}

// format returns the line for e, valid until the next call.
func (p *printer) format(e *event) []byte {
	if p.first == 0 {
		p.first = e.tsNs
	}
	var ms uint64
	if e.tsNs > p.first {
		ms = (e.tsNs - p.first) / 1e6
	}
	fn := p.function(e)
	if p.cfg.json {
		j := &p.json
		j.Reset()
		j.Uint("timestamp_ns", e.tsNs)
		j.Uint("time_ms", ms)
		j.Int("pid", int64(e.pid))
		j.Int("tid", int64(e.tid))
		j.Str("comm", e.comm)
		j.Str("func", fn)
		j.Uint("start_addr", e.start)
		j.Uint("cgroup_id", e.cgroupID)
		return j.Bytes()
	}
	b := p.line[:0]
	b = output.AppendIntPadRight(b, int64(ms), 10)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendEscaped(b, fn)
	b = append(b, '\n')
	p.line = b
	return b
}
