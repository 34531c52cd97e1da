package biostacks

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// Layout of struct biostacks_key and biostacks_hist.
const (
	keySize   = 28
	maxSlots  = 27
	valueSize = maxSlots * 4
	maxDepth  = 20
)

type entry struct {
	pid, dev uint32
	stackID  int32
	comm     []byte
	slots    []uint64
	frames   []string
}

func decodeEntry(k, v []byte) (entry, error) {
	if len(k) < keySize || len(v) < valueSize {
		return entry{}, fmt.Errorf("short histogram: key %d, value %d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	comm := k[12:28]
	if i := bytes.IndexByte(comm, 0); i >= 0 {
		comm = comm[:i]
	}
	e := entry{pid: ne.Uint32(k), dev: ne.Uint32(k[4:]), stackID: int32(ne.Uint32(k[8:])), comm: slices.Clone(comm), slots: make([]uint64, maxSlots)}
	for i := range e.slots {
		e.slots[i] = uint64(ne.Uint32(v[i*4:]))
	}
	return e, nil
}

type printer struct {
	cfg   *config
	names func(uint32) (string, bool)
}

func (p *printer) disk(dev uint32) []byte {
	if n, ok := p.names(dev); ok {
		return []byte(n)
	}
	return []byte("Unknown")
}

func (p *printer) unit() string {
	if p.cfg.millis {
		return "msecs"
	}
	return "usecs"
}

// print writes, per histogram, libbpf-tools' "%-14.14s %-6d %-7s" line
// (process, PID, disk), the stack one function a line, the histogram and
// a blank line; or one JSON object.
func (p *printer) print(w *bytes.Buffer, es []entry, dropped []loader.Dropped) {
	if p.cfg.json {
		var j output.JSONLine
		j.Reset()
		list := []byte{'['}
		for i, e := range es {
			if i > 0 {
				list = append(list, ',')
			}
			var o output.JSONLine
			o.Reset()
			o.Str("comm", e.comm)
			o.Uint("pid", uint64(e.pid))
			o.Str("disk", p.disk(e.dev))
			fr := make([][]byte, len(e.frames))
			for k, f := range e.frames {
				fr[k] = []byte(f)
			}
			o.StrList("stack", fr)
			o.Raw("histogram", hist.AppendLog2JSON(nil, e.slots, p.unit()))
			list = append(list, bytes.TrimSuffix(o.Bytes(), []byte{'\n'})...)
		}
		j.Raw("histograms", append(list, ']'))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	for _, e := range es {
		comm := output.AppendEscaped(nil, e.comm)
		if len(comm) > 14 {
			comm = comm[:14]
		}
		b := output.AppendPadRight(nil, comm, 14)
		b = append(b, ' ')
		b = output.AppendIntPadRight(b, int64(e.pid), 6)
		b = append(b, ' ')
		b = output.AppendPadRight(b, output.AppendEscaped(nil, p.disk(e.dev)), 7)
		b = append(b, '\n')
		for _, f := range e.frames {
			b = append(b, f...)
			b = append(b, '\n')
		}
		w.Write(b)
		hist.PrintLog2(w, e.slots, p.unit())
		w.WriteByte('\n')
	}
}
