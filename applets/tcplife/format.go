package tcplife

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/output"
)

// printer formats sessions as bcc's tcplife prints them (its default,
// -w and -s layouts), or as JSON lines.
type printer struct {
	cfg     *config
	firstNs uint64 // -t counts from the first session's close
	line    []byte
	field   []byte
	json    output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

// Column widths: bcc's "%-5s %-10.10s %s%-15s %-5s %-15s %-5s %5s %5s %s",
// and with -w "%-5s %-16.16s %-2s %-26s %-5s %-26s %-5s %6s %6s %s".
type widths struct{ comm, addr, kb int }

func (p *printer) widths() widths {
	if p.cfg.wide {
		return widths{16, 26, 6}
	}
	return widths{10, 15, 5}
}

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.csv {
		if p.cfg.clock {
			b = append(b, "TIME,"...)
		}
		if p.cfg.timestamp {
			b = append(b, "TIME(s),"...)
		}
		return append(b, "PID,COMM,IP,LADDR,LPORT,RADDR,RPORT,TX_KB,RX_KB,MS\n"...)
	}
	if p.cfg.clock {
		b = append(b, "TIME     "...)
	}
	if p.cfg.timestamp {
		b = append(b, "TIME(s)   "...)
	}
	w := p.widths()
	b = output.AppendPadRight(b, []byte("PID"), 5)
	b = append(b, ' ')
	b = output.AppendPadRight(b, []byte("COMM"), w.comm)
	b = append(b, ' ')
	if p.cfg.wide {
		b = append(b, "IP "...)
	}
	b = output.AppendPadRight(b, []byte("LADDR"), w.addr)
	b = append(b, " LPORT "...)
	b = output.AppendPadRight(b, []byte("RADDR"), w.addr)
	b = append(b, " RPORT "...)
	b = output.AppendPadLeft(b, []byte("TX_KB"), w.kb)
	b = append(b, ' ')
	b = output.AppendPadLeft(b, []byte("RX_KB"), w.kb)
	return append(b, " MS\n"...)
}

// seconds is -t's value: seconds since the first session printed.
func (p *printer) seconds(e *event) float64 {
	if p.firstNs == 0 {
		p.firstNs = e.tsNs
	}
	return float64(e.tsNs-p.firstNs) / 1e9
}

func (p *printer) format(e *event, now time.Time) []byte {
	if p.cfg.json {
		return p.formatJSON(e, now)
	}
	if p.cfg.csv {
		return p.formatCSV(e, now)
	}
	w := p.widths()
	b := p.line[:0]
	if p.cfg.clock {
		b = output.AppendClock(b, now)
		b = append(b, ' ')
	}
	if p.cfg.timestamp {
		b = output.AppendElapsed(b, p.seconds(e), 9, 6)
		b = append(b, ' ')
	}
	b = output.AppendIntPadRight(b, int64(e.pid), 5)
	b = append(b, ' ')
	comm := e.comm
	if len(comm) > w.comm { // %-10.10s
		comm = comm[:w.comm]
	}
	p.field = output.AppendEscaped(p.field[:0], comm)
	b = output.AppendPadRight(b, p.field, w.comm)
	b = append(b, ' ')
	if p.cfg.wide {
		b = output.AppendIntPadRight(b, int64(netfmt.IPVersion(e.af)), 2)
		b = append(b, ' ')
	}
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.laddr)
	b = output.AppendPadRight(b, p.field, w.addr)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.lport), 5)
	b = append(b, ' ')
	p.field = netfmt.AppendAddr(p.field[:0], e.af, e.raddr)
	b = output.AppendPadRight(b, p.field, w.addr)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.rport), 5)
	b = append(b, ' ')
	b = output.AppendUintPadLeft(b, e.txB/1024, w.kb)
	b = append(b, ' ')
	b = output.AppendUintPadLeft(b, e.rxB/1024, w.kb)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, float64(e.spanNs/1000)/1000, 'f', 2, 64)
	b = append(b, '\n')
	p.line = b
	return b
}

// formatCSV is bcc's -s: "%d,%s,%s,%s,%s,%s,%d,%d,%d,%.2f".
func (p *printer) formatCSV(e *event, now time.Time) []byte {
	b := p.line[:0]
	if p.cfg.clock {
		b = output.AppendClock(b, now)
		b = append(b, ',')
	}
	if p.cfg.timestamp {
		b = strconv.AppendFloat(b, p.seconds(e), 'f', 6, 64)
		b = append(b, ',')
	}
	b = strconv.AppendUint(b, uint64(e.pid), 10)
	b = append(b, ',')
	b = output.AppendEscaped(b, e.comm)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(netfmt.IPVersion(e.af)), 10)
	b = append(b, ',')
	b = netfmt.AppendAddr(b, e.af, e.laddr)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(e.lport), 10)
	b = append(b, ',')
	b = netfmt.AppendAddr(b, e.af, e.raddr)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(e.rport), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, e.txB/1024, 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, e.rxB/1024, 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, float64(e.spanNs/1000)/1000, 'f', 2, 64)
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event, now time.Time) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	if p.cfg.clock {
		j.Str("time", output.AppendClock(nil, now))
	}
	if p.cfg.timestamp {
		j.Float("time_s", p.seconds(e), 6)
	}
	j.Uint("pid", uint64(e.pid))
	j.Str("comm", e.comm)
	j.Int("ip", int64(netfmt.IPVersion(e.af)))
	j.Str("laddr", netfmt.AppendAddr(nil, e.af, e.laddr))
	j.Uint("lport", uint64(e.lport))
	j.Str("raddr", netfmt.AppendAddr(nil, e.af, e.raddr))
	j.Uint("rport", uint64(e.rport))
	j.Uint("tx_bytes", e.txB)
	j.Uint("rx_bytes", e.rxB)
	j.Float("ms", float64(e.spanNs/1000)/1000, 3)
	return j.Bytes()
}
