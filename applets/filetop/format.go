package filetop

import (
	"bytes"
	"time"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/top"
)

type printer struct {
	cfg   *config
	clear bool
	now   func() time.Time
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

// headerLine is libbpf-tools' "%-7s %-16s %-6s %-6s %-7s %-7s %1s %s".
const headerLine = "TID     COMM             READS  WRITES R_Kb    W_Kb    T FILE\n"

func (p *printer) print(w *bytes.Buffer, rows []row, loadavg []byte, dropped []loader.Dropped) {
	sortRows(rows, p.cfg.sort)
	if len(rows) > p.cfg.rows {
		rows = rows[:p.cfg.rows]
	}
	if p.cfg.json {
		p.json(w, rows, loadavg, dropped)
		return
	}
	var b []byte
	if p.clear {
		b = append(b, top.ClearScreen...)
	}
	b = top.AppendLoadavgLine(b, p.now(), loadavg)
	b = append(b, headerLine...)
	for _, r := range rows {
		b = output.AppendIntPadRight(b, int64(r.tid), 7)
		b = append(b, ' ')
		b = output.AppendPadRight(b, output.AppendEscaped(nil, r.comm), 16)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(r.reads), 6)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(r.writes), 6)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(r.readBytes/1024), 7)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(r.writeBytes/1024), 7)
		b = append(b, ' ', r.typ, ' ')
		b = output.AppendEscaped(b, r.filename)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	w.Write(b)
}

func (p *printer) json(w *bytes.Buffer, rows []row, loadavg []byte, dropped []loader.Dropped) {
	var j output.JSONLine
	j.Reset()
	j.Str("time", output.AppendClock(nil, p.now()))
	if loadavg != nil {
		j.Str("loadavg", loadavg)
	}
	list := []byte{'['}
	for i, r := range rows {
		if i > 0 {
			list = append(list, ',')
		}
		var o output.JSONLine
		o.Reset()
		o.Uint("pid", uint64(r.pid))
		o.Uint("tid", uint64(r.tid))
		o.Str("comm", r.comm)
		o.Uint("reads", r.reads)
		o.Uint("writes", r.writes)
		o.Uint("read_bytes", r.readBytes)
		o.Uint("write_bytes", r.writeBytes)
		o.Str("type", []byte{r.typ})
		o.Str("file", r.filename)
		o.Uint("inode", r.inode)
		list = append(list, bytes.TrimSuffix(o.Bytes(), []byte{'\n'})...)
	}
	j.Raw("rows", append(list, ']'))
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
