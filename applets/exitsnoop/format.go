package exitsnoop

import (
	"strconv"
	"time"

	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/signame"
)

// printer formats events as libbpf-tools' exitsnoop prints them, or as JSON.
type printer struct {
	cfg  *config
	now  func() time.Time
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	var b []byte
	if p.cfg.timestamp {
		b = append(b, "TIME(s)  "...)
	}
	return append(b, "PCOMM            PID     PPID    TID     AGE(s)  EXIT_CODE\n"...)
}

// format returns the line for e, valid until the next call.
func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		return p.formatJSON(e)
	}
	b := p.line[:0]
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, ' ')
	}
	start := len(b)
	b = output.AppendEscaped(b, e.comm)
	for len(b)-start < 16 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.ppid), 7)
	b = append(b, ' ')
	b = output.AppendIntPadRight(b, int64(e.tid), 7)
	b = append(b, ' ')
	start = len(b)
	b = strconv.AppendFloat(b, e.ageSeconds(), 'f', 2, 64)
	for len(b)-start < 7 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	code, sig, core := e.status()
	switch {
	case sig != 0:
		b = append(b, "signal "...)
		b = strconv.AppendInt(b, int64(sig), 10)
		b = append(b, " ("...)
		b = append(b, signame.Describe(sig)...)
		b = append(b, ')')
		if core {
			b = append(b, ", core dumped"...)
		}
	case code != 0:
		b = append(b, "code "...)
		b = strconv.AppendInt(b, int64(code), 10)
	default:
		b = append(b, '0')
	}
	b = append(b, '\n')
	p.line = b
	return b
}

func (p *printer) formatJSON(e *event) []byte {
	j := &p.json
	j.Reset()
	if p.cfg.timestamp {
		j.Str("time", output.AppendClock(nil, p.now()))
	}
	j.Uint("timestamp_ns", e.exitNs)
	j.Str("comm", e.comm)
	j.Int("pid", int64(e.pid))
	j.Int("ppid", int64(e.ppid))
	j.Int("tid", int64(e.tid))
	j.Uint("uid", uint64(e.uid))
	j.Float("age_s", e.ageSeconds(), 3)
	code, sig, core := e.status()
	j.Int("exit_code", int64(code))
	j.Int("signal", int64(sig))
	if sig != 0 {
		j.Str("signal_name", []byte(signame.Name(sig)))
	}
	j.Bool("core_dumped", core)
	j.Uint("cgroup_id", e.cgroupID)
	return j.Bytes()
}
