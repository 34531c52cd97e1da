package biopattern

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

// Layout of the counters map: a u32 dev_t key and struct
// biopattern_counter (bpfobj/biopattern/biopattern.h).
const (
	keySize   = 4
	valueSize = 24
)

type counter struct {
	dev                uint32
	bytes              uint64
	sequential, random uint32
}

func decodeCounter(k, v []byte) (counter, error) {
	if len(k) < keySize || len(v) < valueSize {
		return counter{}, fmt.Errorf("short counter: key %d, value %d bytes", len(k), len(v))
	}
	ne := binary.NativeEndian
	return counter{dev: ne.Uint32(k), bytes: ne.Uint64(v[8:]), sequential: ne.Uint32(v[16:]), random: ne.Uint32(v[20:])}, nil
}

func (c counter) total() uint64 { return uint64(c.sequential) + uint64(c.random) }

type printer struct {
	cfg   *config
	names func(uint32) (string, bool)
	n     int
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

// header is the column line, printed once after the banner.
func (p *printer) header() string {
	h := ""
	if p.cfg.timestamp {
		h = "TIME      "
	}
	h += "DISK     %RND  %SEQ    COUNT     KBYTES"
	if p.cfg.extended {
		h += "   RANDOM SEQUENTIAL  AVGKB"
	}
	return h + "\n"
}

// rows: disks that completed I/O in the interval, by name.
func (p *printer) rows(cs []counter) []counter {
	cs = slices.DeleteFunc(cs, func(c counter) bool { return c.total() == 0 })
	slices.SortFunc(cs, func(a, b counter) int { return bytes.Compare(p.disk(a.dev), p.disk(b.dev)) })
	return cs
}

// summary writes one line per disk: libbpf-tools' "%-7s %5ld %5ld %8d
// %10lld" (integer percentages), after "%-9s " with -T.
func (p *printer) summary(w *bytes.Buffer, cs []counter, dropped []loader.Dropped) {
	p.n++
	cs = p.rows(cs)
	if p.cfg.json {
		p.json(w, cs, dropped)
		return
	}
	var b []byte
	for _, c := range cs {
		if p.cfg.timestamp {
			b = output.AppendPadRight(b, output.AppendClock(nil, p.now()), 9)
			b = append(b, ' ')
		}
		t := c.total()
		b = output.AppendPadRight(b, output.AppendEscaped(nil, p.disk(c.dev)), 7)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, uint64(c.random)*100/t, 5)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, uint64(c.sequential)*100/t, 5)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, t, 8)
		b = append(b, ' ')
		b = output.AppendUintPadLeft(b, c.bytes/1024, 10)
		if p.cfg.extended {
			b = append(b, ' ')
			b = output.AppendUintPadLeft(b, uint64(c.random), 8)
			b = append(b, ' ')
			b = output.AppendUintPadLeft(b, uint64(c.sequential), 10)
			b = append(b, ' ')
			b = output.AppendPadLeft(b, strconv.AppendFloat(nil, float64(c.bytes)/1024/float64(t), 'f', 1, 64), 6)
		}
		b = append(b, '\n')
	}
	w.Write(b)
}

func (p *printer) json(w *bytes.Buffer, cs []counter, dropped []loader.Dropped) {
	var j output.JSONLine
	j.Reset()
	j.Int("summary", int64(p.n))
	if p.cfg.timestamp {
		j.Str("time", output.AppendClock(nil, p.now()))
	}
	list := []byte{'['}
	for i, c := range cs {
		if i > 0 {
			list = append(list, ',')
		}
		t := c.total()
		var o output.JSONLine
		o.Reset()
		o.Str("disk", p.disk(c.dev))
		o.Uint("random_pct", uint64(c.random)*100/t)
		o.Uint("sequential_pct", uint64(c.sequential)*100/t)
		o.Uint("count", t)
		o.Uint("kbytes", c.bytes/1024)
		o.Uint("random", uint64(c.random))
		o.Uint("sequential", uint64(c.sequential))
		o.Uint("bytes", c.bytes)
		list = append(list, bytes.TrimSuffix(o.Bytes(), []byte{'\n'})...)
	}
	list = append(list, ']')
	j.Raw("disks", list)
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
