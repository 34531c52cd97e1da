package solisten

import (
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats listens as libbpf-tools' solisten prints them:
// "%-7d %-16s %-3d %-7d %-5s %-5d %-32s", -t putting the clock first.
type printer struct {
	cfg   *config
	line  []byte
	field []byte
	json  output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME(s)  "...)
	}
	return append(b, "PID     COMM             RET BACKLOG PROTO PORT  ADDR                            \n"...)
}

// proto is libbpf-tools' PROTO: TCP or UDP (or UNK) by socket type, and
// v4 or v6 by family.
func proto(e *event) string {
	p := "UNK"
	switch e.typ {
	case 1: // SOCK_STREAM
		p = "TCP"
	case 2: // SOCK_DGRAM
		p = "UDP"
	}
	if e.af == netfmt.AFInet {
		return p + "v4"
	}
	return p + "v6"
}

func (p *printer) format(e *event, now time.Time) []byte {
	if p.cfg.json {
		return p.formatJSON(e, now)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendClock(b, now)
		b = append(b, ' ')
	}
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	p.field = output.AppendEscaped(p.field[:0], e.comm)
	b = output.AppendPadRight(b, p.field, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.ret), 3)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.backlog), 7)
	b = append(b, ' ')
	b = output.AppendPadRight(b, []byte(proto(e)), 5)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.port), 5)
	b = append(b, ' ')
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.addr)
	b = output.AppendPadRight(b, p.field, 32)
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event, now time.Time) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	if p.cfg.timestamp {
		j.Str("time", output.AppendClock(nil, now))
	}
	j.Uint("pid", uint64(e.pid))
	j.Str("comm", e.comm)
	j.Int("ret", int64(e.ret))
	j.Uint("backlog", uint64(e.backlog))
	j.Str("proto", []byte(proto(e)))
	j.Uint("port", uint64(e.port))
	j.Str("addr", netfmt.AppendAddr(nil, e.af, e.addr))
	return j.Bytes()
}
