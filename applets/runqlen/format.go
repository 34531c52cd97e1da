package runqlen

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// printer writes summaries as libbpf-tools' runqlen does, or JSON.
type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func (p *printer) summary(w *bytes.Buffer, hs []cpuHist, _ []loader.Dropped) {
	p.n++
	if p.cfg.json {
		p.json(w, hs)
		return
	}
	w.WriteByte('\n')
	if p.cfg.timestamp {
		w.Write(output.AppendClock(nil, p.now()))
		w.WriteByte('\n')
	}
	if !p.cfg.perCPU {
		hs = []cpuHist{total(hs)}
	}
	for _, h := range hs {
		switch {
		case p.cfg.occupancy && p.cfg.perCPU:
			fmt.Fprintf(w, "runqocc, CPU %-3d %6.2f%%\n", h.cpu, 100*h.occupancy())
		case p.cfg.occupancy:
			fmt.Fprintf(w, "runqocc: %0.2f%%\n", 100*h.occupancy())
		default:
			if p.cfg.perCPU {
				fmt.Fprintf(w, "cpu = %d\n", h.cpu)
			}
			hist.PrintLinear(w, h.slots, 0, 1, "runqlen")
		}
	}
}

func (p *printer) json(w *bytes.Buffer, hs []cpuHist) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	if p.cfg.timestamp {
		j.Str("time", output.AppendClock(nil, p.now()))
	}
	one := func(b []byte, h cpuHist) []byte {
		b = append(b, `{"samples":`...)
		b = strconv.AppendUint(b, h.samples(), 10)
		b = append(b, `,"runqocc":`...)
		b = strconv.AppendFloat(b, 100*h.occupancy(), 'f', 2, 64)
		b = append(b, `,"hist":`...)
		return hist.AppendLinearJSON(b, h.slots, 0, 1, "runqlen")
	}
	if !p.cfg.perCPU {
		b := one(nil, total(hs))
		j.Raw("all", append(b, '}'))
	} else {
		b := []byte{'['}
		for i, h := range hs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"cpu":`...)
			b = strconv.AppendInt(b, int64(h.cpu), 10)
			b = append(b, ',')
			b = append(b, one(nil, h)[1:]...)
			b = append(b, '}')
		}
		j.Raw("cpus", append(b, ']'))
	}
	w.Write(j.Bytes())
}
