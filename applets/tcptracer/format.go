package tcptracer

import (
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' tcptracer prints them:
// "%c %-6d %-12.12s %-2d %-16s %-16s %-4d %-4d", after "%-9.3f" seconds
// with -t and "%-6d" UID with -U.
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
		b = append(b, "TIME(s)  "...)
	}
	if p.cfg.printUID {
		b = append(b, "UID   "...)
	}
	return append(b, "T PID    COMM         IP SADDR            DADDR            SPORT DPORT\n"...)
}

var typeLetters = [...]byte{typeConnect: 'C', typeAccept: 'A', typeClose: 'X'}
var typeNames = [...]string{typeConnect: "connect", typeAccept: "accept", typeClose: "close"}

func letter(t uint8) byte {
	if int(t) < len(typeLetters) && typeLetters[t] != 0 {
		return typeLetters[t]
	}
	return '-'
}

func (p *printer) seconds(e *event) float64 {
	if p.firstNs == 0 {
		p.firstNs = e.tsNs
	}
	return float64(e.tsNs-p.firstNs) / 1e9
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendElapsed(b, p.seconds(e), 9, 3)
	}
	if p.cfg.printUID {
		b = output.AppendIntPadRight(b, int64(e.uid), 6)
	}
	b = append(b, letter(e.typ), ' ')
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
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.daddr)
	b = output.AppendPadRight(b, p.field, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.sport), 4)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.dport), 4)
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
	name := "unknown"
	if int(e.typ) < len(typeNames) && typeNames[e.typ] != "" {
		name = typeNames[e.typ]
	}
	j.Str("type", []byte(name))
	j.Uint("pid", uint64(e.pid))
	j.Uint("uid", uint64(e.uid))
	j.Str("comm", e.comm)
	j.Int("ip", int64(netfmt.IPVersion(e.af)))
	j.Str("saddr", netfmt.AppendAddr(nil, e.af, e.saddr))
	j.Str("daddr", netfmt.AppendAddr(nil, e.af, e.daddr))
	j.Uint("sport", uint64(e.sport))
	j.Uint("dport", uint64(e.dport))
	j.Uint("netns", uint64(e.netns))
	return j.Bytes()
}
