package cpudist

import (
	"bytes"
	"errors"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

func isNotExist(err error) bool { return errors.Is(err, ebpf.ErrKeyNotExist) }

// printer turns drained histograms into text or JSON summaries.
type printer struct {
	cfg *config
	n   int // summaries printed so far
	now func() time.Time
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

// keyName is the label of a split histogram ("pid = 42 sh"), "" when the
// histograms are not split.
func (p *printer) keyName() string {
	switch p.cfg.key {
	case keyPID:
		return "pid"
	case keyTID:
		return "tid"
	}
	return ""
}

// summary writes one interval's histograms.
// dropped is what full maps refused during the interval (--json only:
// the text report is on stderr).
func (p *printer) summary(w *bytes.Buffer, entries []entry, dropped []loader.Dropped) {
	p.n++
	if p.cfg.json {
		p.json(w, entries, dropped)
		return
	}
	var b []byte
	b = append(b, '\n')
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, '\n')
	}
	w.Write(b)
	name := p.keyName()
	for _, e := range entries {
		if name != "" {
			b = append(b[:0], '\n')
			b = append(b, name...)
			b = append(b, " = "...)
			b = p.appendKey(b, e.key)
			b = append(b, ' ')
			b = output.AppendEscaped(b, e.comm)
			b = append(b, '\n')
			w.Write(b)
		}
		hist.PrintLog2(w, e.slots, p.cfg.unit())
	}
}

// appendKey prints PIDs and TIDs signed, as libbpf-tools' %d does.
func (p *printer) appendKey(b []byte, key uint32) []byte {
	return strconv.AppendInt(b, int64(int32(key)), 10)
}

func (p *printer) json(w *bytes.Buffer, entries []entry, dropped []loader.Dropped) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	j.Str("mode", []byte(p.cfg.mode()))
	if p.cfg.timestamp {
		j.Str("time", output.AppendClock(nil, p.now()))
	}
	name := p.keyName()
	list := []byte{'['}
	for i, e := range entries {
		if i > 0 {
			list = append(list, ',')
		}
		// {"pid":42,"comm":"sh", then hist's own "unit" and "buckets".
		list = append(list, '{')
		if name != "" {
			list = append(list, '"')
			list = append(list, name...)
			list = append(list, `":`...)
			list = p.appendKey(list, e.key)
			list = append(list, `,"comm":`...)
			list = output.AppendJSONString(list, e.comm)
			list = append(list, ',')
		}
		h := hist.AppendLog2JSON(nil, e.slots, p.cfg.unit())
		list = append(list, h[1:]...) // without its opening brace
	}
	list = append(list, ']')
	j.Raw("histograms", list)
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
