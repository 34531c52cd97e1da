// Package irqstat is the user-space half of hardirqs and softirqs: the
// per-CPU struct irq_stat (bpfobj/include/irqstat.h) summed over CPUs, the
// difference from the previous summary (the BPF counters only grow), and
// the libbpf-tools text and --json output of a summary.
package irqstat

import (
	"bytes"
	"slices"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// MaxSlots is IRQSTAT_MAX_SLOTS.
const MaxSlots = 32

// Raw is struct irq_stat as one CPU holds it; the applets' layout tests
// compare it with the bpf2go type.
type Raw struct {
	Count, Time uint64
	Slots       [MaxSlots]uint64
}

// Stat is one interrupt kind's runs, time and histogram.
type Stat struct {
	Count, Time uint64
	Slots       [MaxSlots]uint64
}

// Sum adds the CPUs' values.
func Sum(perCPU []Raw) Stat {
	var s Stat
	for _, r := range perCPU {
		s.Count += r.Count
		s.Time += r.Time
		for i, v := range r.Slots {
			s.Slots[i] += v
		}
	}
	return s
}

func (s Stat) minus(p Stat) Stat {
	d := Stat{Count: s.Count - p.Count, Time: s.Time - p.Time}
	for i := range s.Slots {
		d.Slots[i] = s.Slots[i] - p.Slots[i]
	}
	return d
}

// Row is one interrupt kind in a summary.
type Row struct {
	Name string
	Stat
}

// Deltas turns running totals into what happened since the previous call.
type Deltas struct{ prev map[string]Stat }

// Take returns, sorted by name (order, when given, ranks names first),
// the rows that ran since the previous call.
func (d *Deltas) Take(totals map[string]Stat, order func(a, b string) int) []Row {
	if d.prev == nil {
		d.prev = map[string]Stat{}
	}
	var rows []Row
	for name, s := range totals {
		delta := s.minus(d.prev[name])
		d.prev[name] = s
		if delta.Count == 0 {
			continue
		}
		rows = append(rows, Row{Name: name, Stat: delta})
	}
	if order == nil {
		order = func(a, b string) int { return bytes.Compare([]byte(a), []byte(b)) }
	}
	slices.SortFunc(rows, func(a, b Row) int { return order(a.Name, b.Name) })
	return rows
}

// Format says how a tool prints.
type Format struct {
	Kind      string // "hardirq" or "softirq": "hardirq = NAME" headings, "hardirqs" JSON list
	NameWidth int    // 26 for hardirqs, 16 for softirqs
	// CountOnly: runs counted, not timed (hardirqs -C).
	CountOnly bool
	// CountColumn: a TOTAL_count column after the time (softirqs -C).
	CountColumn       bool
	Dist, Nanoseconds bool
	Timestamp, JSON   bool
}

func (f *Format) unit() string {
	if f.Nanoseconds {
		return "nsecs"
	}
	return "usecs"
}

// Printer writes summaries.
type Printer struct {
	F   Format
	Now func() time.Time
	// Missed is what the kernel did not hand over during the summary
	// (--json "missed"; the text report is on stderr).
	Missed uint64
	n      int
}

// Write appends one summary of rows to w.
func (p *Printer) Write(w *bytes.Buffer, rows []Row, dropped []loader.Dropped) {
	p.n++
	if p.F.JSON {
		p.json(w, rows, dropped)
		return
	}
	var b []byte
	b = append(b, '\n')
	if p.F.Timestamp {
		b = output.AppendClock(b, p.Now())
		b = append(b, '\n')
	}
	if p.F.Dist {
		w.Write(b)
		for _, r := range rows {
			b = append(b[:0], p.F.Kind...)
			b = append(b, " = "...)
			b = output.AppendEscaped(b, []byte(r.Name))
			b = append(b, '\n')
			w.Write(b)
			hist.PrintLog2(w, r.Slots[:], p.F.unit())
		}
		return
	}
	title := []byte(p.F.Kind)
	for i := range title {
		title[i] -= 'a' - 'A'
	}
	b = output.AppendPadRight(b, title, p.F.NameWidth)
	b = append(b, ' ')
	switch {
	case p.F.CountOnly:
		b = output.AppendPadLeft(b, []byte("TOTAL_count"), 11)
	case p.F.CountColumn:
		b = append(b, "TOTAL_"...)
		b = append(b, p.F.unit()...)
		b = append(b, "  TOTAL_count"...)
	default:
		b = output.AppendPadLeft(b, []byte("TOTAL_"+p.F.unit()), 11)
	}
	b = append(b, '\n')
	for _, r := range rows {
		b = output.AppendPadRight(b, output.AppendEscaped(nil, []byte(r.Name)), p.F.NameWidth)
		b = append(b, ' ')
		if p.F.CountOnly {
			b = output.AppendUintPadLeft(b, r.Count, 11)
		} else {
			b = output.AppendUintPadLeft(b, r.Time, 11)
			if p.F.CountColumn {
				b = append(b, "  "...)
				b = output.AppendUintPadLeft(b, r.Count, 11)
			}
		}
		b = append(b, '\n')
	}
	w.Write(b)
}

func (p *Printer) json(w *bytes.Buffer, rows []Row, dropped []loader.Dropped) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	if p.F.Timestamp {
		j.Str("time", output.AppendClock(nil, p.Now()))
	}
	list := []byte{'['}
	for i, r := range rows {
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, `{"name":`...)
		list = output.AppendJSONString(list, []byte(r.Name))
		list = append(list, `,"count":`...)
		list = strconv.AppendUint(list, r.Count, 10)
		if !p.F.CountOnly {
			list = append(list, `,"total":`...)
			list = strconv.AppendUint(list, r.Time, 10)
			list = append(list, `,"unit":"`...)
			list = append(list, p.F.unit()...)
			list = append(list, '"')
		}
		if p.F.Dist {
			list = append(list, `,"hist":`...)
			list = hist.AppendLog2JSON(list, r.Slots[:], p.F.unit())
		}
		list = append(list, '}')
	}
	list = append(list, ']')
	j.Raw(p.F.Kind+"s", list)
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	j.Uint("missed", p.Missed)
	w.Write(j.Bytes())
}
