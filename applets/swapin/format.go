package swapin

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// keySize is struct swapin_key (bpfobj/swapin/swapin.h): pid, comm[16].
const keySize = 20

// row is one process's swap-ins in the interval.
type row struct {
	pid   uint32
	comm  []byte
	count uint64
}

func decode(k, v []byte) (row, error) {
	if len(k) < keySize || len(v) < 8 {
		return row{}, fmt.Errorf("short count: key %d, value %d bytes", len(k), len(v))
	}
	comm := k[4:20]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	return row{pid: binary.NativeEndian.Uint32(k), comm: bytes.Clone(comm), count: binary.NativeEndian.Uint64(v)}, nil
}

type printer struct {
	json, notime bool
	now          func() time.Time
}

// summary writes bcc's interval: "%H:%M:%S" (not with -T), the
// "%-16s %-6s %s" header, "%-16s %-6d %d" rows by count ascending and a
// blank line; or one JSON object.
func (p *printer) summary(w *bytes.Buffer, rows []row, dropped []loader.Dropped) {
	slices.SortFunc(rows, func(a, b row) int {
		if a.count != b.count {
			if a.count < b.count {
				return -1
			}
			return 1
		}
		return int(a.pid) - int(b.pid)
	})
	now := p.now()
	if p.json {
		var j output.JSONLine
		j.Reset()
		j.Str("time", output.AppendClock(nil, now))
		list := []byte{'['}
		for i, r := range rows {
			if i > 0 {
				list = append(list, ',')
			}
			var e output.JSONLine
			e.Reset()
			e.Str("comm", r.comm)
			e.Uint("pid", uint64(r.pid))
			e.Uint("count", r.count)
			list = append(list, bytes.TrimSuffix(e.Bytes(), []byte{'\n'})...)
		}
		j.Raw("swapins", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	var b []byte
	if !p.notime {
		b = append(output.AppendClock(b, now), '\n')
	}
	b = append(b, "COMM             PID    COUNT\n"...)
	for _, r := range rows {
		b = output.AppendPadRight(b, output.AppendEscaped(nil, r.comm), 16)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(r.pid), 6)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, r.count, 0)
		b = append(b, '\n')
	}
	w.Write(append(b, '\n'))
}
