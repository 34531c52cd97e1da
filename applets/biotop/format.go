package biotop

import (
	"bytes"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/top"
)

type printer struct {
	cfg   *config
	names func(dev uint32) (string, bool)
	clear bool // a terminal: clear it before each screen
	now   func() time.Time
}

func newPrinter(cfg *config, names func(uint32) (string, bool)) *printer {
	return &printer{cfg: cfg, names: names, now: time.Now}
}

func (p *printer) disk(dev uint32) []byte {
	if n, ok := p.names(dev); ok {
		return []byte(n)
	}
	return []byte("Unknown")
}

func direction(r row) string {
	if r.write {
		return "W"
	}
	return "R"
}

func avgMs(r row) float64 {
	if r.io == 0 {
		return 0
	}
	return float64(r.us) / 1000 / float64(r.io)
}

// print writes one screen: libbpf-tools' loadavg line, header, the top
// rows and a blank line; or one JSON object.
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
	b = append(b, "PID     COMM             D MAJ MIN DISK       I/O  Kbytes  AVGms\n"...)
	for _, r := range rows {
		b = output.AppendIntPadRight(b, int64(r.pid), 7)
		b = append(b, ' ')
		b = output.AppendPadRight(b, output.AppendEscaped(nil, r.comm), 16)
		b = append(b, ' ')
		b = append(b, direction(r)...)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(blockdev.Major(r.dev)), 3)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(blockdev.Minor(r.dev)), 3)
		b = append(b, ' ')
		b = output.AppendPadRight(b, output.AppendEscaped(nil, p.disk(r.dev)), 8)
		b = append(b, ' ')
		b = output.AppendIntPadLeft(b, int64(r.io), 5)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, r.bytes/1024, 7)
		b = append(b, ' ')
		b = output.AppendPadLeft(b, strconv.AppendFloat(nil, avgMs(r), 'f', 2, 64), 6)
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
		o.Str("comm", r.comm)
		o.Str("d", []byte(direction(r)))
		o.Uint("major", uint64(blockdev.Major(r.dev)))
		o.Uint("minor", uint64(blockdev.Minor(r.dev)))
		o.Str("disk", p.disk(r.dev))
		o.Uint("io", uint64(r.io))
		o.Uint("bytes", r.bytes)
		o.Uint("kbytes", r.bytes/1024)
		o.Float("avg_ms", avgMs(r), 3)
		list = append(list, bytes.TrimSuffix(o.Bytes(), []byte{'\n'})...)
	}
	list = append(list, ']')
	j.Raw("rows", list)
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
