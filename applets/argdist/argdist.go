package argdist

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	bpfobj "github.com/probebox/probebox/bpfobj/argdist"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/probes"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/tracefs"
	"github.com/probebox/probebox/internal/funcs"
)

func init() { applet.Register(Applet) }

// Applet is argdist's registration.
var Applet = &applet.Applet{
	Name:     "argdist",
	Needs:    funcs.Needs,
	NeedsAny: true,
	Summary:  "Trace a function or tracepoint and display a histogram or frequency count of a value",
	Flags: []applet.Flag{
		{Short: "H", Long: "histogram", Kind: applet.String, Meta: "SPECIFIER", Usage: "probe specifier to capture a histogram of"},
		{Short: "C", Long: "count", Kind: applet.String, Meta: "SPECIFIER", Usage: "probe specifier to capture a count of"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "output interval, in seconds", Default: "1"},
		{Short: "n", Long: "number", Kind: applet.Int, Meta: "COUNT", Usage: "number of outputs"},
		{Short: "T", Long: "top", Kind: applet.Int, Meta: "TOP", Usage: "number of top results to show (-C)"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"argdist -H 'p::__kmalloc(u64 size):u64:size'", "print a histogram of allocation sizes passed to kmalloc"},
		{"argdist -p 1005 -C 'p:c:malloc(size_t size):size_t:size:size==16'", "print a frequency count of how many times process 1005 called malloc with an allocation size of 16 bytes"},
		{"argdist -C 'r:c:read():int:$retval'", "count the return values of read()"},
		{"argdist -H 'r::vfs_read():ssize_t:$retval'", "histogram of the return value of vfs_read"},
		{"argdist -C 't:syscalls:sys_enter_read():u64:args->count'", "count the sizes read() asks for"},
		{"argdist -H 't:syscalls:sys_enter_read():u64:args->count:args->count>4096'", "histogram of read sizes above 4 KiB"},
		{"argdist -C 'p:c:write(int fd):int:fd' -T 5", "the five file descriptors written to most"},
	},
	Run: run,
}

type config struct {
	spec            *spec
	histogram       bool
	pid, count, top int
	every           time.Duration
	json, verbose   bool
	cgroup, btf     string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{pid: inv.Int("pid"), count: inv.Int("number"), top: inv.Int("top"), json: inv.Bool("json"),
		verbose: inv.Bool("verbose"), cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	h, cnt := inv.String("histogram"), inv.String("count")
	switch {
	case h != "" && cnt != "":
		return nil, applet.Usagef("give one specifier: -H or -C")
	case h == "" && cnt == "":
		return nil, applet.Usagef("give a specifier with -H (histogram) or -C (count), e.g. -C 'p:c:malloc(size_t size):size_t:size'")
	case len(inv.Args) > 0:
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	c.histogram = h != ""
	text := h + cnt
	var err error
	if c.spec, err = parseSpec(text); err != nil {
		return nil, err
	}
	if n := inv.Int("interval"); n <= 0 {
		return nil, applet.Usagef("invalid interval %d for -i: want seconds > 0", n)
	} else {
		c.every = time.Duration(n) * time.Second
	}
	if inv.IsSet("number") && c.count <= 0 {
		return nil, applet.Usagef("invalid -n %d: want outputs > 0", c.count)
	}
	if inv.IsSet("top") && c.top <= 0 {
		return nil, applet.Usagef("invalid -T %d: want results > 0", c.top)
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	return c, nil
}

// resolve finds the probe's target and fills tracepoint fields.
func resolve(cfg *config) (funcs.Target, string, error) {
	sp := cfg.spec
	switch {
	case sp.probe == 't':
		fs, err := tracefs.Default()
		if err != nil {
			return funcs.Target{}, "", fmt.Errorf("tracepoints need tracefs: %w", err)
		}
		text, err := fs.Format(sp.lib, sp.fn)
		if err != nil {
			return funcs.Target{}, "", applet.Usagef("no tracepoint %s:%s", sp.lib, sp.fn)
		}
		fields, err := probes.ParseFormat(text)
		if err != nil {
			return funcs.Target{}, "", err
		}
		for _, tm := range []*term{&sp.value, &sp.filter} {
			if tm.kind != srcField {
				continue
			}
			i := slices.IndexFunc(fields, func(f probes.Field) bool { return f.Name == tm.field })
			if i < 0 || fields[i].ArrayLen > 0 || fields[i].Size > 8 {
				return funcs.Target{}, "", applet.Usagef("invalid specifier %q: %s:%s has no integer field %q", sp.text, sp.lib, sp.fn, tm.field)
			}
			tm.off, tm.size = fields[i].Offset, fields[i].Size
		}
		return funcs.Target{Kind: funcs.Tracepoint, Group: sp.lib, Name: sp.fn, Show: sp.lib + ":" + sp.fn}, "on_tracepoint", nil
	case sp.lib == "":
		if err := funcs.KernelProbes(attach.Running); err != nil {
			return funcs.Target{}, "", err
		}
		ts, err := funcs.Resolve(funcs.Spec{Kind: funcs.Kernel, Func: sp.fn}, 0)
		if err != nil {
			return funcs.Target{}, "", err
		}
		return ts[0], map[byte]string{'p': "on_kprobe", 'r': "on_kretprobe"}[sp.probe], nil
	default:
		ts, err := funcs.Resolve(funcs.Spec{Kind: funcs.User, Lib: sp.lib, Func: sp.fn}, cfg.pid)
		if err != nil {
			return funcs.Target{}, "", err
		}
		return ts[0], map[byte]string{'p': "on_uprobe", 'r': "on_uretprobe"}[sp.probe], nil
	}
}

func (c *config) consts() map[string]any {
	sp := c.spec
	m := map[string]any{"filter_tgid": int32(c.pid), "histogram": c.histogram}
	if sp.hasValue {
		v := sp.value
		m["src_kind"], m["src_arg"], m["src_off"], m["src_size"] = v.kind, uint32(v.arg), uint32(v.off), uint32(v.size)
		m["src_bits"], m["src_signed"] = uint32(v.bits), v.signed
	}
	if sp.filterOp != 0 {
		f := sp.filter
		m["f_op"], m["f_kind"], m["f_arg"], m["f_off"], m["f_size"] = sp.filterOp, f.kind, uint32(f.arg), uint32(f.off), uint32(f.size)
		m["f_bits"], m["f_signed"], m["f_const"] = uint32(f.bits), f.signed, sp.filterLit
	}
	return m
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	target, prog, err := resolve(cfg)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Programs: []string{prog}, Consts: cfg.consts(), BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadArgdist()
			if err == nil {
				delete(s.Maps, "events")
				delete(s.Maps, "lost_events")
			}
			return s, err
		},
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	var l link.Link
	if cfg.spec.probe == 'r' {
		l, err = funcs.Return(target, obj.Coll.Programs[prog], 0, cfg.pid)
	} else {
		l, err = funcs.Entry(target, obj.Coll.Programs[prog], 0, cfg.pid)
	}
	if err != nil {
		return fmt.Errorf("attaching to %s: %w", target.Show, err)
	}
	defer l.Close()
	if v := inv.VerboseWriter(); v != nil {
		fmt.Fprintf(v, "%s: %s on %s\n", inv.Name, prog[3:], target.Show)
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "counts", What: "values"})
	if err != nil {
		return err
	}
	p := &printer{cfg: cfg, now: time.Now}
	hm, cm := obj.Map("hist"), obj.Map("counts")
	var prevHist [64]uint64
	prevCounts := map[uint64]uint64{}
	return summary.Run(ctx, summary.Options[row]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr, JSON: true, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]row, error) {
			if cfg.histogram {
				var v [64]uint64
				if err := hm.Lookup(uint32(0), &v); err != nil {
					return nil, err
				}
				rows := make([]row, 64)
				for i := range v {
					rows[i] = row{value: uint64(i), count: v[i] - prevHist[i]}
				}
				prevHist = v
				return rows, nil
			}
			var rows []row
			var k, n uint64
			it := cm.Iterate()
			for it.Next(&k, &n) {
				if d := n - prevCounts[k]; d > 0 {
					rows = append(rows, row{value: k, count: d})
				}
				prevCounts[k] = n
			}
			return rows, it.Err()
		},
		Write: p.write,
	})
}

type row struct{ value, count uint64 }

type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

func (p *printer) label() string {
	if p.cfg.spec.label != "" {
		return p.cfg.spec.label
	}
	return p.cfg.spec.text
}

func (p *printer) exprText() string {
	if !p.cfg.spec.hasValue {
		return "total calls"
	}
	return p.cfg.spec.value.text
}

// valueText prints a value as its type reads: signed types signed.
func (p *printer) valueText(v uint64) string {
	if p.cfg.spec.value.signed {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatUint(v, 10)
}

// write prints bcc's argdist layout: the time, the specifier, then a
// histogram or COUNT/EVENT rows (smallest count first; -T keeps the top).
func (p *printer) write(w *bytes.Buffer, rows []row, dropped []loader.Dropped) {
	p.n++
	if !p.cfg.histogram {
		slices.SortStableFunc(rows, func(a, b row) int {
			if a.count != b.count {
				return map[bool]int{true: -1, false: 1}[a.count < b.count]
			}
			return map[bool]int{true: -1, false: 1}[a.value < b.value]
		})
		if p.cfg.top > 0 && len(rows) > p.cfg.top {
			rows = rows[len(rows)-p.cfg.top:]
		}
	}
	if p.cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Int("summary", int64(p.n))
		j.Str("time", output.AppendClock(nil, p.now()))
		j.Str("probe", []byte(p.label()))
		j.Str("expr", []byte(p.exprText()))
		if p.cfg.histogram {
			slots := make([]uint64, len(rows))
			for i, r := range rows {
				slots[i] = r.count
			}
			j.Raw("hist", hist.AppendLog2JSON(nil, slots, p.exprText()))
		} else {
			list := []byte{'['}
			for i, r := range rows {
				if i > 0 {
					list = append(list, ',')
				}
				list = append(list, `{"value":`...)
				list = append(list, p.valueText(r.value)...)
				list = append(list, `,"count":`...)
				list = strconv.AppendUint(list, r.count, 10)
				list = append(list, '}')
			}
			j.Raw("counts", append(list, ']'))
		}
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	fmt.Fprintf(w, "[%s]\n", output.AppendClock(nil, p.now()))
	if p.cfg.histogram {
		fmt.Fprintf(w, "%s\n", output.Escape(p.label()))
		slots := make([]uint64, len(rows))
		for i, r := range rows {
			slots[i] = r.count
		}
		hist.PrintLog2(w, slots, output.Escape(p.exprText()))
		return
	}
	fmt.Fprintf(w, "%s\n", output.Escape(p.label()))
	fmt.Fprintf(w, "\t%-10s %s\n", "COUNT", "EVENT")
	for _, r := range rows {
		ev := p.exprText() + " = " + p.valueText(r.value)
		if !p.cfg.spec.hasValue {
			ev = "total calls"
		}
		fmt.Fprintf(w, "\t%-10d %s\n", r.count, output.Escape(ev))
	}
}
