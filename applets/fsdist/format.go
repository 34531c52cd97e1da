package fsdist

import (
	"bytes"
	"time"

	"github.com/probebox/probebox/core/fsops"
	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// maxSlots is FSDIST_MAX_SLOTS (bpfobj/fsdist/fsdist.h).
const maxSlots = 32

type printer struct {
	cfg *config
	n   int
	now func() time.Time
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

func empty(slots []uint64) bool {
	for _, n := range slots {
		if n != 0 {
			return false
		}
	}
	return true
}

// summary writes one interval as libbpf-tools does: a blank line, the -T
// time, then "operation = 'OP'", its histogram and a blank line for each
// operation that happened.
func (p *printer) summary(w *bytes.Buffer, hists [][]uint64, dropped []loader.Dropped) {
	p.n++
	if p.cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Int("summary", int64(p.n))
		if p.cfg.timestamp {
			j.Str("time", output.AppendClock(nil, p.now()))
		}
		j.Str("fs", []byte(p.cfg.fs))
		list := []byte{'['}
		for i, h := range hists {
			if empty(h) {
				continue
			}
			if len(list) > 1 {
				list = append(list, ',')
			}
			list = append(list, `{"operation":"`...)
			list = append(list, fsops.Ops[i]...)
			list = append(list, `",`...)
			list = append(list, hist.AppendLog2JSON(nil, h, p.cfg.unit())[1:]...)
		}
		j.Raw("operations", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	w.WriteByte('\n')
	if p.cfg.timestamp {
		w.Write(output.AppendClock(nil, p.now()))
		w.WriteByte('\n')
	}
	for i, h := range hists {
		if empty(h) {
			continue
		}
		w.WriteString("operation = '" + fsops.Ops[i] + "'\n")
		hist.PrintLog2(w, h, p.cfg.unit())
		w.WriteByte('\n')
	}
}
