package tcpconnlat

import (
	"strconv"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats connects as libbpf-tools' tcpconnlat prints them:
// "%-6d %-12.12s %-2d %-16s %-16s %-5d %.2f", with -L an LPORT column
// ("%-6d") after SADDR, with -t a "%-9.3f " seconds column first.
type printer struct {
	cfg     *config
	firstNs uint64
	line    []byte
	field   []byte
	json    output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME(s)   "...)
	}
	if p.cfg.lport {
		return append(b, "PID    COMM         IP SADDR            LPORT  DADDR            DPORT LAT(ms)\n"...)
	}
	return append(b, "PID    COMM         IP SADDR            DADDR            DPORT LAT(ms)\n"...)
}

func (p *printer) seconds(e *event) float64 {
	if p.firstNs == 0 {
		p.firstNs = e.tsNs
	}
	return float64(e.tsNs-p.firstNs) / 1e9
}

// ms is the latency in milliseconds from whole microseconds, as
// libbpf-tools computes it.
func ms(e *event) float64 { return float64(e.deltaNs/1000) / 1000 }

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendElapsed(b, p.seconds(e), 9, 3)
		b = append(b, ' ')
	}
	b = output.AppendIntPadRight(b, int64(e.pid), 6)
	b = append(b, ' ')
	c := e.comm
	if len(c) > 12 {
		c = c[:12]
	}
	p.field = output.AppendEscaped(p.field[:0], c)
	b = output.AppendPadRight(b, p.field, 12)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(netfmt.IPVersion(e.af)), 2)
	b = append(b, ' ')
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.saddr)
	b = output.AppendPadRight(b, p.field, 16)
	b = append(b, ' ')
	if p.cfg.lport {
		b = output.AppendIntPadRight(b, int64(e.lport), 6)
		b = append(b, ' ')
	}
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.daddr)
	b = output.AppendPadRight(b, p.field, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.dport), 5)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, ms(e), 'f', 2, 64)
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	if p.cfg.timestamp {
		j.Float("time_s", p.seconds(e), 3)
	}
	j.Uint("pid", uint64(e.pid))
	j.Str("comm", e.comm)
	j.Int("ip", int64(netfmt.IPVersion(e.af)))
	j.Str("saddr", netfmt.AppendAddr(nil, e.af, e.saddr))
	j.Uint("lport", uint64(e.lport))
	j.Str("daddr", netfmt.AppendAddr(nil, e.af, e.daddr))
	j.Uint("dport", uint64(e.dport))
	j.Float("lat_ms", ms(e), 3)
	return j.Bytes()
}
