package ttysnoop

import (
	"bytes"

	"github.com/probebox/probebox/core/output"
)

// printer writes what the terminal was sent, or JSON.
type printer struct {
	cfg  *config
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

// format returns e's output, valid until the next call. Newlines stay
// newlines (a "\r\n" becomes one) and tabs stay tabs; every other
// control byte is escaped, so what a watched program prints cannot drive
// the watcher's terminal.
func (p *printer) format(e *event) []byte {
	if p.cfg.json {
		j := &p.json
		j.Reset()
		j.Uint("timestamp_ns", e.tsNs)
		j.Int("pid", int64(e.pid))
		j.Str("comm", e.comm)
		j.Int("len", int64(len(e.data)))
		j.Str("data", e.data)
		j.Uint("cgroup_id", e.cgroupID)
		return j.Bytes()
	}
	b := p.line[:0]
	rest := e.data
	for len(rest) > 0 {
		i := bytes.IndexAny(rest, "\n\t")
		if i < 0 {
			b = output.AppendEscaped(b, rest)
			break
		}
		seg := rest[:i]
		if rest[i] == '\n' && len(seg) > 0 && seg[len(seg)-1] == '\r' {
			seg = seg[:len(seg)-1]
		}
		b = output.AppendEscaped(b, seg)
		b = append(b, rest[i])
		rest = rest[i+1:]
	}
	p.line = b
	return b
}
