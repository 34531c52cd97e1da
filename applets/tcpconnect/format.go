package tcpconnect

import (
	"bytes"
	"sort"
	"strconv"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats events and counts as libbpf-tools' tcpconnect prints
// them (with bcc's LPORT column for -L), or as JSON lines.
type printer struct {
	cfg     *config
	startNs uint64 // first event's time, for -t
	line    []byte
	json    output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = output.AppendPadRight(b, []byte("TIME(s)"), 9)
	}
	if p.cfg.printUID {
		b = output.AppendPadRight(b, []byte("UID"), 6)
	}
	b = append(b, "PID    COMM             IP SADDR           "...)
	if p.cfg.lport {
		b = append(b, " LPORT "...)
	}
	b = append(b, " DADDR           "...)
	if p.cfg.sourcePort {
		b = append(b, " SPORT"...)
	}
	return append(b, " DPORT\n"...)
}

// seconds is the time since the first event, as -t shows it.
func (p *printer) seconds(e *event) float64 {
	if p.startNs == 0 {
		p.startNs = e.tsNs
	}
	return float64(e.tsNs-p.startNs) / 1e9
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
	b = output.AppendIntPadRight(b, int64(e.pid), 6)
	b = append(b, ' ')
	b = appendComm(b, e.comm, 16)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(netfmt.IPVersion(e.af)), 2)
	b = append(b, ' ')
	b = padAddr(b, e.af, e.saddr, 16)
	if p.cfg.lport {
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(e.lport), 6)
	}
	b = append(b, ' ')
	b = padAddr(b, e.af, e.daddr, 16)
	if p.cfg.sourcePort {
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(e.lport), 5)
	}
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.dport), 5)
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
	j.Uint("tid", uint64(e.tid))
	j.Uint("uid", uint64(e.uid))
	j.Str("comm", e.comm)
	j.Int("ip", int64(netfmt.IPVersion(e.af)))
	j.Str("saddr", netfmt.AppendAddr(nil, e.af, e.saddr))
	j.Str("daddr", netfmt.AppendAddr(nil, e.af, e.daddr))
	if p.cfg.lport || p.cfg.sourcePort {
		j.Uint("lport", uint64(e.lport))
	}
	j.Uint("dport", uint64(e.dport))
	return j.Bytes()
}

// counts prints the -c table (or JSON lines), IPv4 flows first as
// libbpf-tools does, then sorted by address and port.
func (p *printer) counts(flows []flow) []byte {
	sort.Slice(flows, func(i, k int) bool {
		a, c := flows[i], flows[k]
		if a.af != c.af {
			return a.af < c.af
		}
		if d := bytes.Compare(a.saddr[:], c.saddr[:]); d != 0 {
			return d < 0
		}
		if d := bytes.Compare(a.daddr[:], c.daddr[:]); d != 0 {
			return d < 0
		}
		if a.lport != c.lport {
			return a.lport < c.lport
		}
		return a.dport < c.dport
	})
	var b []byte
	if !p.cfg.json {
		b = append(b, '\n')
		b = output.AppendPadRight(b, []byte("LADDR"), 25)
		b = append(b, ' ')
		b = output.AppendPadRight(b, []byte("RADDR"), 25)
		if p.cfg.sourcePort {
			b = append(b, ' ')
			b = output.AppendPadRight(b, []byte("LPORT"), 20)
		}
		b = append(b, ' ')
		b = output.AppendPadRight(b, []byte("RPORT"), 20)
		b = append(b, " CONNECTS  \n"...)
	}
	for _, f := range flows {
		if p.cfg.json {
			j := &p.json
			j.Reset()
			j.Int("ip", int64(netfmt.IPVersion(f.af)))
			j.Str("saddr", netfmt.AppendAddr(nil, f.af, f.saddr[:]))
			j.Str("daddr", netfmt.AppendAddr(nil, f.af, f.daddr[:]))
			if p.cfg.sourcePort {
				j.Uint("lport", uint64(f.lport))
			}
			j.Uint("dport", uint64(f.dport))
			j.Uint("connects", f.connects)
			b = append(b, j.Bytes()...)
			continue
		}
		b = padAddr(b, f.af, f.saddr[:], 25)
		b = append(b, ' ')
		b = padAddr(b, f.af, f.daddr[:], 25)
		if p.cfg.sourcePort {
			b = append(b, ' ')
			b = output.AppendIntPadRight(b, int64(f.lport), 20)
		}
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(f.dport), 20)
		b = append(b, ' ')
		b = output.AppendPadRight(b, strconv.AppendUint(nil, f.connects, 10), 10)
		b = append(b, '\n')
	}
	return b
}

func padAddr(b []byte, af uint16, addr []byte, width int) []byte {
	start := len(b)
	b = netfmt.AppendAddr(b, af, addr)
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}

// appendComm is printf "%-W.Ws" of a task name, escaped.
func appendComm(b, comm []byte, width int) []byte {
	if len(comm) > width {
		comm = comm[:width]
	}
	start := len(b)
	b = output.AppendEscaped(b, comm)
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}
