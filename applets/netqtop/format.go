package netqtop

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/probebox/probebox/core/output"
)

type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

// sizeBounds are the size columns' bounds, in bytes (the last column is
// open: bcc counts everything from 16K there, GSO packets included).
var sizeBounds = [sizes + 1]uint64{0, 64, 512, 2048, 16384, 65536}

// human is bcc's to_str: over 1000000 in M (1024*1024) and over 1000 in
// K (1024) with two decimals, as Python prints a rounded float.
func human(v float64, isFloat bool) string {
	switch {
	case v > 1000000:
		return pyFloat(v/(1024*1024)) + "M"
	case v > 1000:
		return pyFloat(v/1024) + "K"
	case isFloat:
		return pyFloat(v)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func pyFloat(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// center is Python's str.center for the header cells.
func center(s string, width int) string {
	marg := width - len(s)
	if marg <= 0 {
		return s
	}
	left := marg/2 + (marg & width & 1)
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", marg-left)
}

var headers = []string{"QueueID", "avg_size", "[0, 64)", "[64, 512)", "[512, 2K)", "[2K, 16K)", "[16K, 64K)"}

// summary is bcc's: the date (asctime), then "TX" and "RX" tables (a row
// per queue and a Total row), then a line of dashes.
func (p *printer) summary(w *bytes.Buffer, iv interval) {
	p.n++
	now := p.now()
	if p.cfg.json {
		p.json(w, iv, now)
		return
	}
	b := now.AppendFormat(nil, "Mon Jan _2 15:04:05 2006")
	b = append(b, "\nTX\n"...)
	b = p.table(b, iv.tx)
	b = append(b, "\nRX\n"...)
	b = p.table(b, iv.rx)
	dashes := 76
	if p.cfg.throughput {
		dashes = 95
	}
	b = append(b, strings.Repeat("-", dashes)...)
	b = append(b, '\n')
	w.Write(b)
}

func (p *printer) table(b []byte, qs []queue) []byte {
	hs := headers
	if p.cfg.throughput {
		hs = append(hs[:len(hs):len(hs)], "BPS", "PPS")
	}
	for i, h := range hs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, center(h, 10)...)
	}
	b = append(b, '\n')
	var total queue
	for i, q := range qs {
		total.add(q)
		b = output.AppendIntPadLeft(b, int64(i), 5)
		b = p.row(b, q, 11)
	}
	b = append(b, " Total"...)
	return p.row(b, total, 10)
}

// row is a queue's cells after its first column (avg_size is first
// width wide, as bcc's rows and Total line differ there).
func (p *printer) row(b []byte, q queue, first int) []byte {
	var avg uint64
	if q.packets > 0 {
		avg = q.bytes / q.packets
	}
	b = append(b, ' ')
	b = output.AppendPadLeft(b, []byte(human(float64(avg), false)), first)
	for _, n := range q.sizes {
		b = append(b, ' ')
		b = output.AppendPadLeft(b, []byte(human(float64(n), false)), 10)
	}
	if p.cfg.throughput {
		b = append(b, ' ')
		b = output.AppendPadLeft(b, []byte(human(float64(q.bytes)/p.cfg.seconds, true)), 10)
		b = append(b, ' ')
		b = output.AppendPadLeft(b, []byte(human(float64(q.packets)/p.cfg.seconds, true)), 10)
	}
	return append(b, '\n')
}

func (p *printer) json(w *bytes.Buffer, iv interval, now time.Time) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	j.Str("time", output.AppendClock(nil, now))
	j.Float("interval_s", p.cfg.seconds, 3)
	j.Raw("tx", p.jsonSide(iv.tx))
	j.Raw("rx", p.jsonSide(iv.rx))
	w.Write(j.Bytes())
}

func (p *printer) jsonSide(qs []queue) []byte {
	b := []byte(`{"queues":[`)
	var total queue
	for i, q := range qs {
		total.add(q)
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONQueue(b, i, q)
	}
	b = append(b, `],"total":`...)
	b = appendJSONQueue(b, -1, total)
	return append(b, '}')
}

func appendJSONQueue(b []byte, id int, q queue) []byte {
	var j output.JSONLine
	j.Reset()
	if id >= 0 {
		j.Int("queue", int64(id))
	}
	j.Uint("packets", q.packets)
	j.Uint("bytes", q.bytes)
	var avg uint64
	if q.packets > 0 {
		avg = q.bytes / q.packets
	}
	j.Uint("avg_size", avg)
	list := []byte{'['}
	for i, n := range q.sizes {
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, `{"low":`...)
		list = strconv.AppendUint(list, sizeBounds[i], 10)
		if i < sizes-1 { // the last column is open: 16K and more
			list = append(list, `,"high":`...)
			list = strconv.AppendUint(list, sizeBounds[i+1], 10)
		}
		list = append(list, `,"count":`...)
		list = strconv.AppendUint(list, n, 10)
		list = append(list, '}')
	}
	j.Raw("sizes", append(list, ']'))
	return append(b, bytes.TrimSuffix(j.Bytes(), []byte("\n"))...)
}
