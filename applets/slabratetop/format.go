package slabratetop

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/top"
)

// Layout of struct slabrate_key and slabrate_val.
const (
	keySize   = 32
	valueSize = 16
)

type row struct {
	name        []byte
	count, size uint64
}

func decodeRow(k, v []byte) (row, error) {
	if len(k) < keySize || len(v) < valueSize {
		return row{}, fmt.Errorf("short entry: key %d, value %d bytes", len(k), len(v))
	}
	name := k[:keySize]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	return row{name: slices.Clone(name), count: binary.NativeEndian.Uint64(v), size: binary.NativeEndian.Uint64(v[8:])}, nil
}

// sortRows: by name ascending, or by count or size descending (ties by
// name).
func sortRows(rows []row, by sortBy) {
	slices.SortFunc(rows, func(a, b row) int {
		var x, y uint64
		switch by {
		case sortCount:
			x, y = a.count, b.count
		case sortSize:
			x, y = a.size, b.size
		}
		if x != y {
			if x > y {
				return -1
			}
			return 1
		}
		return bytes.Compare(a.name, b.name)
	})
}

type printer struct {
	cfg   *config
	clear bool
	now   func() time.Time
}

func newPrinter(cfg *config) *printer { return &printer{cfg: cfg, now: time.Now} }

// headerLine is libbpf-tools' "%-32s %6s %10s".
const headerLine = "CACHE                            ALLOCS      BYTES\n"

func (p *printer) print(w *bytes.Buffer, rows []row, loadavg []byte, dropped []loader.Dropped) {
	sortRows(rows, p.cfg.sort)
	if len(rows) > p.cfg.rows {
		rows = rows[:p.cfg.rows]
	}
	if p.cfg.json {
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
			o.Str("cache", r.name)
			o.Uint("allocs", r.count)
			o.Uint("bytes", r.size)
			list = append(list, bytes.TrimSuffix(o.Bytes(), []byte{'\n'})...)
		}
		j.Raw("caches", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	var b []byte
	if p.clear {
		b = append(b, top.ClearScreen...)
	}
	b = top.AppendLoadavgLine(b, p.now(), loadavg)
	b = append(b, headerLine...)
	for _, r := range rows {
		b = output.AppendPadRight(b, output.AppendEscaped(nil, r.name), 32)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, r.count, 6)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, r.size, 10)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	w.Write(b)
}
