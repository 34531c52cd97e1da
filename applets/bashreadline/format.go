package bashreadline

import (
	"time"

	"github.com/probebox/probebox/core/output"
)

// printer formats events as libbpf-tools' bashreadline prints them, or as
// JSON.
type printer struct {
	cfg  *config
	now  func() time.Time
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) header() []byte {
	return []byte("TIME      PID     COMMAND\n")
}

// format returns the line for e, valid until the next call. The command
// is escaped: a typed line can hold terminal control sequences.
func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		j := &p.json
		j.Reset()
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Uint("timestamp_ns", e.tsNs)
		j.Int("pid", int64(e.pid))
		j.Uint("uid", uint64(e.uid))
		j.Str("comm", e.comm)
		j.Str("command", e.line)
		j.Uint("cgroup_id", e.cgroupID)
		return j.Bytes()
	}
	b := output.AppendClock(p.line[:0], p.now())
	b = append(b, "  "...)
	b = output.AppendIntPadRight(b, int64(e.pid), 7)
	b = append(b, ' ')
	b = output.AppendEscaped(b, e.line)
	b = append(b, '\n')
	p.line = b
	return b
}
