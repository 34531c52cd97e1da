package bitesize

import (
	"bytes"
	"time"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

const unit = "Kbytes"

type printer struct {
	cfg *config
	n   int
	now func() time.Time
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

// summary writes one interval as libbpf-tools does: a blank line, the -T
// time, then per process "\nProcess Name = NAME\n" and its histogram.
func (p *printer) summary(w *bytes.Buffer, entries []entry, dropped []loader.Dropped) {
	p.n++
	if p.cfg.json {
		p.json(w, entries, dropped)
		return
	}
	b := []byte{'\n'}
	if p.cfg.timestamp {
		b = output.AppendClock(b, p.now())
		b = append(b, '\n')
	}
	w.Write(b)
	for _, e := range entries {
		b = append(b[:0], "\nProcess Name = "...)
		b = output.AppendEscaped(b, e.comm)
		b = append(b, '\n')
		w.Write(b)
		hist.PrintLog2(w, e.slots, unit)
	}
}

func (p *printer) json(w *bytes.Buffer, entries []entry, dropped []loader.Dropped) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	if p.cfg.timestamp {
		j.Str("time", output.AppendClock(nil, p.now()))
	}
	list := []byte{'['}
	for i, e := range entries {
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, `{"comm":`...)
		list = output.AppendJSONString(list, e.comm)
		list = append(list, ',')
		h := hist.AppendLog2JSON(nil, e.slots, unit)
		list = append(list, h[1:]...)
	}
	list = append(list, ']')
	j.Raw("histograms", list)
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
