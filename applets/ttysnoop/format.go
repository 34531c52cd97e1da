package ttysnoop

import "github.com/probebox/probebox/core/output"

// printer writes what the terminal was sent, or JSON.
type printer struct {
	cfg  *config
	line []byte
	json output.JSONLine
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg} }

// format returns e's output, valid until the next call: newlines and
// tabs kept, every other control byte escaped (output.AppendEscapedText),
// so what a watched program prints cannot drive the watcher's terminal.
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
	b := output.AppendEscapedText(p.line[:0], e.data)
	p.line = b
	return b
}
