package funclatency

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// histValue is struct funclat_hist (bpfobj/funclatency/funclatency.h).
type histValue struct {
	Slots        [maxSlots]uint64
	Count, Total uint64
}

// fnHist is one function's (or, without -F, every function's) calls
// during a summary.
type fnHist struct {
	name string // "" without -F
	histValue
}

// drain returns what each histogram gained since prev, and updates prev.
func drain(m *ebpf.Map, names []string, prev []histValue, perFunc bool) ([]fnHist, error) {
	var out []fnHist
	for i := range prev {
		var v histValue
		if err := m.Lookup(uint32(i), &v); err != nil {
			return nil, fmt.Errorf("reading histograms: %w", err)
		}
		d := fnHist{histValue: histValue{Count: v.Count - prev[i].Count, Total: v.Total - prev[i].Total}}
		for s := range v.Slots {
			d.Slots[s] = v.Slots[s] - prev[i].Slots[s]
		}
		prev[i] = v
		if perFunc {
			d.name = names[i]
			if d.Count == 0 {
				continue
			}
		}
		out = append(out, d)
	}
	return out, nil
}

type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

// write prints bcc's funclatency output: the histogram(s), then the
// average, total and count.
func (p *printer) write(w *bytes.Buffer, hs []fnHist, dropped []loader.Dropped) {
	p.n++
	unit := p.cfg.unit()
	if p.cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Int("summary", int64(p.n))
		if p.cfg.timestamp {
			j.Str("time", output.AppendClock(nil, p.now()))
		}
		list := []byte{'['}
		for i, h := range hs {
			if i > 0 {
				list = append(list, ',')
			}
			list = append(list, '{')
			if h.name != "" {
				list = append(list, `"func":`...)
				list = output.AppendJSONString(list, []byte(h.name))
				list = append(list, ',')
			}
			list = append(list, `"count":`...)
			list = strconv.AppendUint(list, h.Count, 10)
			list = append(list, `,"total":`...)
			list = strconv.AppendUint(list, h.Total, 10)
			list = append(list, `,"hist":`...)
			list = hist.AppendLog2JSON(list, h.Slots[:], unit)
			list = append(list, '}')
		}
		j.Raw("functions", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	w.WriteByte('\n')
	if p.cfg.timestamp {
		w.Write(output.AppendClock(nil, p.now()))
		w.WriteByte('\n')
	}
	var count, total uint64
	for _, h := range hs {
		if h.name != "" {
			fmt.Fprintf(w, "\nFunction = %s\n", output.Escape(h.name))
		}
		hist.PrintLog2(w, h.Slots[:], unit)
		count += h.Count
		total += h.Total
	}
	if count > 0 {
		fmt.Fprintf(w, "\navg = %d %s, total: %d %s, count: %d\n", total/count, unit, total, unit, count)
	}
}
