package memleak

import (
	"bytes"
	"strconv"
	"time"

	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/syms"
)

type printer struct {
	cfg *config
	now func() time.Time
}

// frameText is "name+0xoff [module]", the way libbpf-tools names a frame
// after its "%zu [<%016lx>] " prefix.
func frameText(f syms.Frame) []byte {
	b := output.AppendEscaped(nil, []byte(f.Name))
	if f.Known {
		b = append(b, "+0x"...)
		b = strconv.AppendUint(b, f.Offset, 16)
	}
	if f.Module != "" {
		b = append(b, " ["...)
		b = output.AppendEscaped(b, []byte(filepathBase(f.Module)))
		b = append(b, ']')
	}
	return b
}

func filepathBase(p string) string {
	if i := bytes.LastIndexByte([]byte(p), '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// summary writes libbpf-tools' "[%d:%d:%d] Top %zu stacks with
// outstanding allocations:", then per stack "%zu bytes in %zu allocations
// from stack", with -a "\taddr = %#lx size = %zu" lines, and the frames
// "\t%zu [<%016lx>] name+0xoff [module]"; or one JSON object.
func (p *printer) summary(w *bytes.Buffer, cs []combined, dropped []loader.Dropped) {
	now := p.now()
	if p.cfg.json {
		p.json(w, now, cs, dropped)
		return
	}
	if len(cs) == 0 {
		return
	}
	h, m, s := now.Clock()
	w.WriteString("[" + strconv.Itoa(h) + ":" + strconv.Itoa(m) + ":" + strconv.Itoa(s) + "] Top " + strconv.Itoa(len(cs)) + " stacks with outstanding allocations:\n")
	for _, c := range cs {
		w.WriteString(strconv.FormatUint(c.bytes, 10) + " bytes in " + strconv.FormatUint(c.nr, 10) + " allocations from stack\n")
		if p.cfg.showAllocs {
			for _, a := range c.allocs {
				w.WriteString("\taddr = 0x" + strconv.FormatUint(a.addr, 16) + " size = " + strconv.FormatUint(a.size, 10) + "\n")
			}
		}
		if c.missed {
			w.WriteString("\t[Missed Stack]\n")
		}
		for i, f := range c.frames {
			a := strconv.FormatUint(f.Addr, 16)
			for len(a) < 16 {
				a = "0" + a
			}
			w.WriteString("\t" + strconv.Itoa(i) + " [<" + a + ">] ")
			w.Write(frameText(f))
			w.WriteByte('\n')
		}
	}
}

func (p *printer) json(w *bytes.Buffer, now time.Time, cs []combined, dropped []loader.Dropped) {
	var j output.JSONLine
	j.Reset()
	j.Str("time", output.AppendClock(nil, now))
	list := []byte{'['}
	for i, c := range cs {
		if i > 0 {
			list = append(list, ',')
		}
		var e output.JSONLine
		e.Reset()
		e.Uint("bytes", c.bytes)
		e.Uint("allocations", c.nr)
		if p.cfg.showAllocs {
			al := []byte{'['}
			for k, a := range c.allocs {
				if k > 0 {
					al = append(al, ',')
				}
				al = append(al, `{"addr":"0x`...)
				al = strconv.AppendUint(al, a.addr, 16)
				al = append(al, `","size":`...)
				al = strconv.AppendUint(al, a.size, 10)
				al = append(al, '}')
			}
			e.Raw("addresses", append(al, ']'))
		}
		e.Bool("stack_missed", c.missed)
		fr := make([][]byte, len(c.frames))
		for k, f := range c.frames {
			fr[k] = frameText(f)
		}
		e.StrList("stack", fr)
		list = append(list, bytes.TrimSuffix(e.Bytes(), []byte{'\n'})...)
	}
	j.Raw("stacks", append(list, ']'))
	j.Raw("not_counted", loader.AppendJSON(nil, dropped))
	w.Write(j.Bytes())
}
