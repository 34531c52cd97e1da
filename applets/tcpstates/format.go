package tcpstates

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats state changes as libbpf-tools' tcpstates prints them:
// "%-16llx %-7d %-10.10s %-15s %-5d %-15s %-5d %-11s -> %-11s %.3f", and
// with -w "%-16llx %-7d %-16s %-2d %-26s %-5d %-26s %-5d %-11s -> %-11s %.3f";
// -T puts the clock first under the header TIME(s), as libbpf-tools does.
type printer struct {
	cfg   *config
	line  []byte
	field []byte
	json  output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

func (p *printer) commWidth() (int, int) {
	if p.cfg.wide {
		return 16, 26
	}
	return 10, 15
}

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME(s)  "...)
	}
	comm, addr := p.commWidth()
	b = append(b, "SKADDR           PID     "...)
	b = output.AppendPadRight(b, []byte("COMM"), comm)
	b = append(b, ' ')
	if p.cfg.wide {
		b = append(b, "IP "...)
	}
	b = output.AppendPadRight(b, []byte("LADDR"), addr)
	b = append(b, " LPORT "...)
	b = output.AppendPadRight(b, []byte("RADDR"), addr)
	return append(b, " RPORT OLDSTATE    -> NEWSTATE    MS\n"...)
}

// ms is the time in the old state in milliseconds, from whole
// microseconds as libbpf-tools computes it.
func ms(e *event) float64 { return float64(e.deltaNs/1000) / 1000 }

func (p *printer) format(e *event, now time.Time) []byte {
	if p.cfg.json {
		return p.formatJSON(e, now)
	}
	comm, addr := p.commWidth()
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendClock(b, now)
		b = append(b, ' ')
	}
	p.field = strconv.AppendUint(p.field[:0], e.skaddr, 16)
	b = output.AppendPadRight(b, p.field, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	c := e.comm
	if !p.cfg.wide && len(c) > comm { // %-10.10s
		c = c[:comm]
	}
	p.field = output.AppendEscaped(p.field[:0], c)
	b = output.AppendPadRight(b, p.field, comm)
	b = append(b, ' ')
	if p.cfg.wide {
		b = output.AppendIntPadRight(b, int64(netfmt.IPVersion(e.af)), 2)
		b = append(b, ' ')
	}
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.laddr)
	b = output.AppendPadRight(b, p.field, addr)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.lport), 5)
	b = append(b, ' ')
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.raddr)
	b = output.AppendPadRight(b, p.field, addr)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.rport), 5)
	b = append(b, ' ')
	b = output.AppendPadRight(b, []byte(netfmt.StateName(int(e.oldstate))), 11)
	b = append(b, " -> "...)
	b = output.AppendPadRight(b, []byte(netfmt.StateName(int(e.newstate))), 11)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, ms(e), 'f', 3, 64)
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
	j.Str("skaddr", strconv.AppendUint(nil, e.skaddr, 16))
	j.Uint("pid", uint64(e.pid))
	j.Str("comm", e.comm)
	j.Int("ip", int64(netfmt.IPVersion(e.af)))
	j.Str("laddr", netfmt.AppendAddr(nil, e.af, e.laddr))
	j.Uint("lport", uint64(e.lport))
	j.Str("raddr", netfmt.AppendAddr(nil, e.af, e.raddr))
	j.Uint("rport", uint64(e.rport))
	j.Str("oldstate", []byte(netfmt.StateName(int(e.oldstate))))
	j.Str("newstate", []byte(netfmt.StateName(int(e.newstate))))
	j.Float("ms", ms(e), 3)
	return j.Bytes()
}
