package tcpretrans

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// banner is bcc's first line, in both modes.
const banner = "Tracing retransmits ... Hit Ctrl-C to end\n"

func stateName(s uint8) string { return netfmt.StateName(int(s)) }

// printer formats events and counts as bcc's tcpretrans prints them, or JSON.
type printer struct {
	cfg  *config
	now  func() time.Time
	line []byte
	ep   []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

// header is the streaming header: bcc's "%-8s %-7s %-2s %-20s %1s> %-20s"
// then " %-4s" STATE, or " %-12s %-10s" STATE SEQ with -s.
func (p *printer) header() []byte {
	b := []byte(banner + "TIME     PID     IP LADDR:LPORT          T> RADDR:RPORT         ")
	if p.cfg.sequence {
		return append(b, " STATE        SEQ       \n"...)
	}
	return append(b, " STATE\n"...)
}

func appendEndpoint(b []byte, a netip.Addr, port uint16) []byte {
	b = a.AppendTo(b)
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(port), 10)
}

func typeLetter(t uint8) string {
	if t == typeLossProb {
		return "L"
	}
	return "R"
}

func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := output.AppendClock(p.line[:0], p.now())
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, ipVersion(e.family), 2)
	b = append(b, ' ')
	p.ep = appendEndpoint(p.ep[:0], e.saddr, e.lport)
	b = output.AppendPadRight(b, p.ep, 20)
	b = append(b, ' ')
	b = append(b, typeLetter(e.typ)...)
	b = append(b, "> "...)
	p.ep = appendEndpoint(p.ep[:0], e.daddr, e.dport)
	b = output.AppendPadRight(b, p.ep, 20)
	b = append(b, ' ')
	if p.cfg.sequence {
		b = output.AppendPadRight(b, []byte(stateName(e.state)), 12)
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(e.seq), 10)
	} else {
		b = append(b, stateName(e.state)...)
	}
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	j.Str("time", output.AppendClock(nil, p.now()))
	j.Uint("pid", uint64(e.pid))
	j.Int("ip", ipVersion(e.family))
	j.Str("laddr", e.saddr.AppendTo(nil))
	j.Uint("lport", uint64(e.lport))
	j.Str("raddr", e.daddr.AppendTo(nil))
	j.Uint("rport", uint64(e.dport))
	if e.typ == typeLossProb {
		j.Str("type", []byte("tlp"))
	} else {
		j.Str("type", []byte("retransmit"))
	}
	j.Str("state", []byte(stateName(e.state)))
	j.Uint("seq", uint64(e.seq))
	return j.Bytes()
}

// sortFlows orders counts as bcc prints them: IPv4 flows, then IPv6, each
// by ascending count (ties by address and port, so output is stable).
func sortFlows(fs []flow) {
	slices.SortFunc(fs, func(a, b flow) int {
		return cmp.Or(cmp.Compare(ipVersion(a.family), ipVersion(b.family)), cmp.Compare(a.count, b.count),
			a.saddr.Compare(b.saddr), cmp.Compare(a.lport, b.lport), a.daddr.Compare(b.daddr), cmp.Compare(a.dport, b.dport))
	})
}

// counts formats -c's summary: bcc's "\n%-25s %-25s %-10s" header, then
// "%-20s <-> %-20s %10d" per flow with endpoints as "[ADDR]#PORT"; with
// --json one object per flow.
func (p *printer) counts(fs []flow) []byte {
	sortFlows(fs)
	var b []byte
	if !p.cfg.json {
		b = append(b, "\nLADDR:LPORT               RADDR:RPORT               RETRANSMITS\n"...)
	}
	for _, f := range fs {
		if p.cfg.json {
			j := &p.json
			j.Reset()
			j.Int("ip", ipVersion(f.family))
			j.Str("laddr", f.saddr.AppendTo(nil))
			j.Uint("lport", uint64(f.lport))
			j.Str("raddr", f.daddr.AppendTo(nil))
			j.Uint("rport", uint64(f.dport))
			j.Uint("retransmits", f.count)
			b = append(b, j.Bytes()...)
			continue
		}
		b = output.AppendPadRight(b, bracketed(f.saddr, f.lport), 20)
		b = append(b, " <-> "...)
		b = output.AppendPadRight(b, bracketed(f.daddr, f.dport), 20)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, f.count, 10)
		b = append(b, '\n')
	}
	return b
}

func bracketed(a netip.Addr, port uint16) []byte {
	b := append([]byte{'['}, a.String()...)
	b = append(b, "]#"...)
	return strconv.AppendUint(b, uint64(port), 10)
}
