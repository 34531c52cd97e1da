package biolatency

import (
	"bytes"
	"time"

	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// printer turns drained histograms into libbpf-tools' text or JSON.
type printer struct {
	cfg   *config
	names func(dev uint32) (string, bool)
	flags *blockdev.Flags
	n     int // summaries printed so far
	now   func() time.Time
}

func newPrinter(cfg *config, names func(uint32) (string, bool), flags *blockdev.Flags) *printer {
	return &printer{cfg: cfg, names: names, flags: flags, now: time.Now}
}

func (p *printer) disk(dev uint32) []byte {
	if name, ok := p.names(dev); ok {
		return []byte(name)
	}
	return []byte("Unknown")
}

// summary writes one interval's histograms. Text: a blank line, the -T
// time, then per histogram "\ndisk = NAME\t" (-D), "flags = NAME" (-F), a
// newline and the histogram.
//
// dropped is what full maps refused during the interval (--json only: the
// text report is on stderr).
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
		b = b[:0]
		if p.cfg.perDisk {
			b = append(b, "\ndisk = "...)
			b = output.AppendEscaped(b, p.disk(e.dev))
			b = append(b, '\t')
		}
		if p.cfg.perFlag {
			b = append(b, "flags = "...)
			b = p.flags.AppendName(b, e.cmdFlags)
		}
		b = append(b, '\n')
		w.Write(b)
		hist.PrintLog2(w, e.slots, p.cfg.unit())
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
		list = append(list, '{')
		if p.cfg.perDisk {
			list = append(list, `"disk":`...)
			list = output.AppendJSONString(list, p.disk(e.dev))
			list = append(list, ',')
		}
		if p.cfg.perFlag {
			list = append(list, `"flags":`...)
			list = output.AppendJSONString(list, p.flags.AppendName(nil, e.cmdFlags))
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
