package tcpdrop

import (
	"strconv"
	"strings"
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats drops as bcc's tcpdrop prints them:
// "%-8s %-7d %-2d %-20s > %-20s %s (%s)", then the drop reason, then the
// kernel stack one frame a line ("\t%s") and a blank line.
type printer struct {
	cfg     *config
	now     func() time.Time
	reasons map[uint32]string
	stack   func(id int32) []string
	line    []byte
	json    output.JSONLine
}

func newPrinter(cfg *config, now func() time.Time) *printer {
	return &printer{cfg: cfg, now: now, reasons: map[uint32]string{}}
}

func (p *printer) header() []byte {
	return []byte("TIME     PID     IP SADDR:SPORT          > DADDR:DPORT          STATE (FLAGS) REASON\n")
}

var flagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}

// flags is bcc's flags2str: the set flags joined with '|'.
func flags(f uint8) string {
	var s []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			s = append(s, n)
		}
	}
	return strings.Join(s, "|")
}

func state(s uint8) string {
	if s == 0 {
		return "-" // no socket: dropped before one was found
	}
	return netfmt.StateName(int(s))
}

func (p *printer) reason(r uint32) string {
	if n, ok := p.reasons[r]; ok {
		return n
	}
	return "REASON_" + strconv.FormatUint(uint64(r), 10)
}

func endpoint(af uint16, a []byte, port uint16) []byte {
	b := netfmt.AppendAddr(nil, af, a)
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(port), 10)
}

func (p *printer) frames(e *event) []string {
	if p.stack == nil {
		return nil
	}
	return p.stack(e.stackID)
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := output.AppendClock(p.line[:0], p.now())
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(netfmt.IPVersion(e.af)), 2)
	b = append(b, ' ')
	b = output.AppendPadRight(b, endpoint(e.af, e.saddr, e.sport), 20)
	b = append(b, " > "...)
	b = output.AppendPadRight(b, endpoint(e.af, e.daddr, e.dport), 20)
	b = append(b, ' ')
	b = append(b, state(e.state)...)
	b = append(b, " ("...)
	b = append(b, flags(e.flags)...)
	b = append(b, ") "...)
	b = append(b, p.reason(e.reason)...)
	b = append(b, '\n')
	if p.stack != nil {
		for _, f := range p.frames(e) {
			b = append(b, '\t')
			b = append(b, f...)
			b = append(b, '\n')
		}
		b = append(b, '\n')
	}
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	j.Str("time", output.AppendClock(nil, p.now()))
	j.Uint("pid", uint64(e.pid))
	j.Int("ip", int64(netfmt.IPVersion(e.af)))
	j.Str("saddr", netfmt.AppendAddr(nil, e.af, e.saddr))
	j.Uint("sport", uint64(e.sport))
	j.Str("daddr", netfmt.AppendAddr(nil, e.af, e.daddr))
	j.Uint("dport", uint64(e.dport))
	j.Str("state", []byte(state(e.state)))
	j.Str("flags", []byte(flags(e.flags)))
	j.Str("reason", []byte(p.reason(e.reason)))
	if p.stack != nil {
		fs := p.frames(e)
		list := make([][]byte, len(fs))
		for i, f := range fs {
			list[i] = []byte(f)
		}
		j.StrList("stack", list)
	}
	return j.Bytes()
}
