package sofdsnoop

import (
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/probebox/probebox/core/output"
)

// printer formats descriptors as libbpf-tools' sofdsnoop prints them:
// "%-6s %-6d %-16s %-25s %-5d %s" (ACTION TID COMM SOCKET FD NAME), -T
// putting seconds since the start first ("%-14.9f").
type printer struct {
	cfg     *config
	startNs uint64
	line    []byte
	field   []byte
	json    output.JSONLine
}

func newPrinter(cfg *config, startNs uint64) *printer { return &printer{cfg: cfg, startNs: startNs} }

// monotonicNow is CLOCK_MONOTONIC, bpf_ktime_get_ns's clock, in ns.
func monotonicNow() uint64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return uint64(ts.Nano())
}

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME(s)       "...)
	}
	return append(b, "ACTION TID    COMM             SOCKET                    FD    NAME\n"...)
}

func action(e *event) string {
	if e.action == actionRecv {
		return "RECV"
	}
	return "SEND"
}

func (p *printer) seconds(e *event) float64 {
	if e.tsNs < p.startNs {
		return 0
	}
	return float64(e.tsNs-p.startNs) / 1e9
}

func (p *printer) format(e *event, now time.Time) []byte {
	if p.cfg.json {
		return p.formatJSON(e, now)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendPadRight(b, strconv.AppendFloat(nil, p.seconds(e), 'f', 9, 64), 14)
	}
	b = output.AppendPadRight(b, []byte(action(e)), 6)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.tid), 6)
	b = append(b, ' ')
	p.field = output.AppendEscaped(p.field[:0], e.comm)
	b = output.AppendPadRight(b, p.field, 16)
	b = append(b, ' ')
	p.field = strconv.AppendInt(p.field[:0], int64(e.sockFD), 10)
	p.field = append(p.field, ':')
	p.field = append(p.field, e.socket...)
	b = output.AppendPadRight(b, p.field, 25)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.fd), 5)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.name)
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event, now time.Time) []byte {
	j := &p.json
	j.Reset()
	j.Uint("timestamp_ns", e.tsNs)
	if p.cfg.timestamp {
		j.Float("time_s", p.seconds(e), 9)
	}
	j.Str("action", []byte(action(e)))
	j.Uint("pid", uint64(e.pid))
	j.Uint("tid", uint64(e.tid))
	j.Str("comm", e.comm)
	j.Int("sock_fd", int64(e.sockFD))
	j.Str("socket", e.socket)
	j.Int("fd", int64(e.fd))
	j.Str("name", e.name)
	j.Uint("index", uint64(e.index))
	j.Uint("total", uint64(e.total))
	return j.Bytes()
}
