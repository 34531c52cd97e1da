package tcpsubnet

import (
	"bytes"
	"time"

	"github.com/probebox/probebox/core/output"
)

type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

// scaled is bytes in the -f unit, as bcc computes it (integer division).
func scaled(bytes uint64, format byte) uint64 {
	switch format {
	case 'b':
		return bytes * 8
	case 'k':
		return bytes * 8 / 1024
	case 'm':
		return bytes * 8 / 1024 / 1024
	case 'K':
		return bytes / 1024
	case 'M':
		return bytes / 1024 / 1024
	}
	return bytes
}

// summary is bcc's "[mm/dd/yy HH:MM:SS]" line and then, for each subnet
// that was sent to, "%-21s %6d" (subnet as given, amount in -f units), in
// the order of the list.
func (p *printer) summary(w *bytes.Buffer, ts []traffic) {
	p.n++
	now := p.now()
	if p.cfg.json {
		var j, e output.JSONLine
		j.Reset()
		j.Int("summary", int64(p.n))
		j.Str("date", now.AppendFormat(nil, "01/02/06"))
		j.Str("time", output.AppendClock(nil, now))
		list := []byte{'['}
		for i, t := range ts {
			if i > 0 {
				list = append(list, ',')
			}
			e.Reset()
			e.Str("subnet", []byte(p.cfg.subnets[t.index].text))
			e.Uint("bytes", t.bytes)
			if p.cfg.format != 'B' {
				e.Str("unit", []byte{p.cfg.format})
				e.Uint("value", scaled(t.bytes, p.cfg.format))
			}
			list = append(list, bytes.TrimSuffix(e.Bytes(), []byte("\n"))...)
		}
		j.Raw("entries", append(list, ']'))
		w.Write(j.Bytes())
		return
	}
	b := now.AppendFormat([]byte{'['}, "01/02/06 15:04:05")
	b = append(b, "]\n"...)
	for _, t := range ts {
		b = output.AppendPadRight(b, output.AppendEscaped(nil, []byte(p.cfg.subnets[t.index].text)), 21)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, scaled(t.bytes, p.cfg.format), 6)
		b = append(b, '\n')
	}
	w.Write(b)
}
