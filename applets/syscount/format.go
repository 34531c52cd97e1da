package syscount

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/sysnames"
)

// printer writes summaries as libbpf-tools' syscount does, or as JSON.
type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

// sortRows orders by count, or by total latency with -L, highest first;
// ties by name (by PID with -P), so output is stable and the same on every
// architecture.
func (p *printer) sortRows(rows []row) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if p.cfg.latency && a.totalNs != b.totalNs {
			return a.totalNs > b.totalNs
		}
		if a.count != b.count {
			return a.count > b.count
		}
		if !p.cfg.process {
			if na, nb := sysnames.Name(int(a.key)), sysnames.Name(int(b.key)); na != nb {
				return na < nb
			}
		}
		return a.key < b.key
	})
}

func (p *printer) unitDiv() (string, float64) {
	if p.cfg.ms {
		return "ms", 1e6
	}
	return "us", 1e3
}

func (p *printer) write(b *bytes.Buffer, rows []row, dropped []loader.Dropped) {
	p.n++
	p.sortRows(rows)
	if len(rows) > p.cfg.top {
		rows = rows[:p.cfg.top]
	}
	if p.cfg.json {
		p.writeJSON(b, rows, dropped)
		return
	}
	if len(rows) == 0 {
		return
	}
	b.Write(output.AppendClock([]byte("["), p.now()))
	b.WriteString("]\n")
	col := "SYSCALL"
	if p.cfg.process {
		col = "PID    COMM"
	}
	unit, div := p.unitDiv()
	if p.cfg.latency {
		fmt.Fprintf(b, "%-22s %8s %16s\n", col, "COUNT", "TIME ("+unit+")")
	} else {
		fmt.Fprintf(b, "%-22s %8s\n", col, "COUNT")
	}
	for _, r := range rows {
		b.Write(output.AppendPadRight(nil, p.keyColumn(r), 22))
		fmt.Fprintf(b, " %8d", r.count)
		if p.cfg.latency {
			fmt.Fprintf(b, " %16.3f", float64(r.totalNs)/div)
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
}

func (p *printer) keyColumn(r row) []byte {
	if !p.cfg.process {
		return []byte(sysnames.Name(int(r.key)))
	}
	k := output.AppendIntPadRight(nil, int64(r.key), 6)
	k = append(k, ' ')
	return output.AppendEscaped(k, r.comm)
}

func (p *printer) writeJSON(b *bytes.Buffer, rows []row, dropped []loader.Dropped) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	j.Str("time", output.AppendClock(nil, p.now()))
	by := "syscall"
	if p.cfg.process {
		by = "process"
	}
	j.Str("by", []byte(by))
	unit, div := p.unitDiv()
	list := []byte{'['}
	for i, r := range rows {
		if i > 0 {
			list = append(list, ',')
		}
		if p.cfg.process {
			list = append(list, `{"pid":`...)
			list = strconv.AppendUint(list, uint64(r.key), 10)
			list = append(list, `,"comm":`...)
			list = output.AppendJSONString(list, r.comm)
		} else {
			list = append(list, `{"syscall":`...)
			list = output.AppendJSONString(list, []byte(sysnames.Name(int(r.key))))
			list = append(list, `,"nr":`...)
			list = strconv.AppendUint(list, uint64(r.key), 10)
		}
		list = append(list, `,"count":`...)
		list = strconv.AppendUint(list, r.count, 10)
		if p.cfg.latency {
			list = append(list, `,"total_`+unit+`":`...)
			list = strconv.AppendFloat(list, float64(r.totalNs)/div, 'f', 3, 64)
		}
		list = append(list, '}')
	}
	list = append(list, ']')
	j.Raw("rows", list)
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	b.Write(j.Bytes())
}
