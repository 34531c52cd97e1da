package tcprtt

import (
	"bytes"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// printer turns drained histograms into libbpf-tools' text or JSON.
type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func avg(e entry) uint64 {
	if e.cnt == 0 {
		return 0
	}
	return e.latency / e.cnt
}

// summary writes one interval: "\n", the clock with -T, then per
// histogram libbpf-tools' "All Addresses = ****** " / "Local Address = A "
// / "Remote Address = A " line, "[AVG n]" with -e, and the histogram.
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
	for _, e := range entries {
		switch p.cfg.key {
		case keyLaddr:
			b = append(b, "Local Address = "...)
		case keyRaddr:
			b = append(b, "Remote Address = "...)
		default:
			b = append(b, "All Addresses = ****** "...)
		}
		if p.cfg.key != keyAll {
			b = e.addr.AppendTo(b)
			b = append(b, ' ')
		}
		if p.cfg.extended {
			b = append(b, "[AVG "...)
			b = strconv.AppendUint(b, avg(e), 10)
			b = append(b, ']')
		}
		b = append(b, '\n')
		w.Write(b)
		b = b[:0]
		hist.PrintLog2(w, e.slots, p.cfg.unit())
	}
	w.Write(b)
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
		list = append(list, '{')
		switch p.cfg.key {
		case keyLaddr:
			list = append(list, `"laddr":"`...)
		case keyRaddr:
			list = append(list, `"raddr":"`...)
		}
		if p.cfg.key != keyAll {
			list = e.addr.AppendTo(list)
			list = append(list, `",`...)
		}
		if p.cfg.extended {
			list = append(list, `"avg":`...)
			list = strconv.AppendUint(list, avg(e), 10)
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
