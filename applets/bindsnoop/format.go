package bindsnoop

import (
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats binds as libbpf-tools' bindsnoop prints them:
// "%-7d %-16s %-3d %-5s %-5s %-4d %-5d %-48s", -t putting the clock first.
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
	return append(b, "PID     COMM             RET PROTO OPTS  IF   PORT  ADDR                                            \n"...)
}

func proto(e *event) string {
	switch e.proto {
	case 6:
		return "TCP"
	case 17:
		return "UDP"
	}
	return "UNK"
}

// opts is libbpf-tools' OPTS: F T N R r for IP_FREEBIND, IP_TRANSPARENT,
// IP_BIND_ADDRESS_NO_PORT, SO_REUSEADDR, SO_REUSEPORT, '.' when unset.
func opts(o uint8) []byte {
	b := []byte("FTNRr")
	for i := range b {
		if o&(1<<i) == 0 {
			b[i] = '.'
		}
	}
	return b
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
	b = output.AppendPadRight(b, []byte(proto(e)), 5)
	b = append(b, ' ')
	b = output.AppendPadRight(b, opts(e.opts), 5)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.dev), 4)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.port), 5)
	b = append(b, ' ')
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.addr)
	b = output.AppendPadRight(b, p.field, 48)
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
	j.Str("proto", []byte(proto(e)))
	j.Str("opts", opts(e.opts))
	j.Uint("if", uint64(e.dev))
	j.Int("ip", int64(netfmt.IPVersion(e.af)))
	j.Uint("port", uint64(e.port))
	j.Str("addr", netfmt.AppendAddr(nil, e.af, e.addr))
	return j.Bytes()
}
