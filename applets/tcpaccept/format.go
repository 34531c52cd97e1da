package tcpaccept

import (
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats events as bcc's tcpaccept prints them, or as JSON.
type printer struct {
	cfg     *config
	now     func() time.Time
	startNs uint64 // first event's time, for -t
	line    []byte
	json    output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.time {
		b = output.AppendPadRight(b, []byte("TIME"), 9)
	}
	if p.cfg.timestamp {
		b = output.AppendPadRight(b, []byte("TIME(s)"), 9)
	}
	return append(b, "PID     COMM         IP RADDR            RPORT LADDR            LPORT\n"...)
}

func (p *printer) seconds(e *event) float64 {
	if p.startNs == 0 {
		p.startNs = e.tsNs
	}
	return float64(e.tsNs-p.startNs) / 1e9
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		j := &p.json
		j.Reset()
		j.Uint("timestamp_ns", e.tsNs)
		if p.cfg.time {
			j.Str("time", output.AppendClock(nil, p.now()))
		}
		if p.cfg.timestamp {
			j.Float("time_s", p.seconds(e), 3)
		}
		j.Uint("pid", uint64(e.pid))
		j.Uint("tid", uint64(e.tid))
		j.Str("comm", e.comm)
		j.Int("ip", int64(netfmt.IPVersion(e.af)))
		j.Str("raddr", netfmt.AppendAddr(nil, e.af, e.raddr))
		j.Uint("rport", uint64(e.rport))
		j.Str("laddr", netfmt.AppendAddr(nil, e.af, e.laddr))
		j.Uint("lport", uint64(e.lport))
		return j.Bytes()
	}
	b := p.line[:0]
	if p.cfg.time {
		b = output.AppendClock(b, p.now())
		b = append(b, ' ')
	}
	if p.cfg.timestamp {
		b = output.AppendElapsed(b, p.seconds(e), 9, 3)
	}
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	comm := e.comm
	if len(comm) > 12 {
		comm = comm[:12]
	}
	start := len(b)
	b = output.AppendEscaped(b, comm)
	for len(b)-start < 12 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(netfmt.IPVersion(e.af)), 2)
	b = append(b, ' ')
	b = padAddr(b, e.af, e.raddr)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.rport), 5)
	b = append(b, ' ')
	b = padAddr(b, e.af, e.laddr)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.lport), 5)
	b = append(b, '\n')
	p.line = b
	return b
}

func padAddr(b []byte, af uint16, addr []byte) []byte {
	start := len(b)
	b = netfmt.AppendAddr(b, af, addr)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	return b
}
