package funccount

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/funccount"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/internal/funcs"
)

func init() { applet.Register(Applet) }

// Applet is funccount's registration.
var Applet = &applet.Applet{
	Name:     "funccount",
	Needs:    funcs.Needs,
	NeedsAny: true,
	Summary:  "Count functions, tracepoints and user functions matching a pattern",
	Args:     []applet.Arg{{Name: "pattern", Usage: "what to count: func, t:group:event, lib:func, p:lib:func (globs; -r: regular expressions)"}},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "summary interval, seconds"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace, seconds"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "r", Long: "regexp", Usage: "use regular expressions; default is \"*\" wildcards only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"funccount 'vfs_*'", "count kernel fns starting with \"vfs\""},
		{"funccount -r '^vfs.*'", "same as above, using regular expressions"},
		{"funccount -Ti 5 'vfs_*'", "output every 5 seconds, with timestamps"},
		{"funccount -d 10 'vfs_*'", "trace for 10 seconds only"},
		{"funccount -p 185 'vfs_*'", "count vfs calls for PID 181 only"},
		{"funccount t:sched:sched_fork", "count calls to the sched_fork tracepoint"},
		{"funccount -p 185 c:malloc", "count malloc calls in PID 185"},
		{"funccount 'c:str*'", "count all str* calls in libc"},
		{"funccount /usr/bin/bash:readline", "count readline calls in bash"},
		{"funccount u:/usr/bin/python3:function__entry", "count Python function calls (USDT probe)"},
	},
	Run: run,
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{pid: inv.Int("pid"), timestamp: inv.Bool("timestamp"), json: inv.Bool("json"),
		verbose: inv.Bool("verbose"), btf: inv.String("btf")}
	if len(inv.Args) != 1 {
		return nil, applet.Usagef("funccount takes one pattern (e.g. 'vfs_*', t:sched:sched_switch, c:malloc)")
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	if inv.IsSet("interval") {
		if n := inv.Int("interval"); n <= 0 {
			return nil, applet.Usagef("invalid interval %d for -i: want seconds > 0", n)
		}
		c.every = time.Duration(inv.Int("interval")) * time.Second
	}
	if inv.IsSet("duration") {
		n := inv.Int("duration")
		if n <= 0 {
			return nil, applet.Usagef("invalid duration %d for -d: want seconds > 0", n)
		}
		c.duration = time.Duration(n) * time.Second
	}
	var err error
	if c.spec, err = funcs.Parse(inv.Args[0], inv.Bool("regexp")); err != nil {
		return nil, err
	}
	c.pattern = inv.Args[0]
	return c, nil
}

type config struct {
	spec                     funcs.Spec
	pattern                  string
	pid                      int
	timestamp, json, verbose bool
	btf                      string
	every, duration          time.Duration
}

// progFor names the program counting a target kind.
var progFor = map[funcs.Kind]string{funcs.Kernel: "count_kprobe", funcs.Tracepoint: "count_tracepoint", funcs.User: "count_uprobe"}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	if cfg.spec.Kind == funcs.Kernel {
		if err := funcs.KernelProbes(attach.Running); err != nil {
			return err
		}
	}
	targets, err := funcs.Resolve(cfg.spec, cfg.pid)
	if err != nil {
		return err
	}
	prog := progFor[cfg.spec.Kind]
	multi := funcs.UseMulti(targets)
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Programs: []string{prog}, BTF: cfg.btf, Verbose: inv.VerboseWriter(),
		Consts: map[string]any{"filter_tgid": int32(cfg.pid)},
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadFunccount()
			if err == nil {
				delete(s.Maps, "events")
				delete(s.Maps, "lost_events")
				s.Maps["counts"].MaxEntries = uint32(len(targets))
				if multi {
					funcs.PrepareMulti(s.Programs[prog])
				}
			}
			return s, err
		},
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	links, err := funcs.Entries(targets, obj.Coll.Programs[prog], cfg.pid, multi)
	if err != nil {
		return err
	}
	defer func() {
		for _, l := range links {
			l.Close()
		}
	}()
	if v := inv.VerboseWriter(); v != nil {
		how := fmt.Sprintf("%d %s probes", len(targets), funcs.KindName(cfg.spec.Kind))
		if multi {
			how = fmt.Sprintf("one kprobe_multi link on %d kernel functions", len(targets))
		}
		fmt.Fprintf(v, "%s: %s, one BPF program, counting in a per-CPU array by attach cookie\n", inv.Name, how)
	}
	if !cfg.json {
		fmt.Fprintf(inv.Stdout, "Tracing %d functions for \"%s\"... Hit Ctrl-C to end.\n", len(targets), output.Escape(cfg.pattern))
	}
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	counts := obj.Map("counts")
	prev := make([]uint64, len(targets))
	p := &printer{cfg: cfg, now: time.Now}
	return summary.Run(ctx, summary.Options[row]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr, JSON: true, Verbose: cfg.verbose,
		Every: cfg.every, Full: &loader.MapFull{},
		Drain: func() ([]row, error) {
			var rows []row
			at := map[string]int{} // a USDT probe may have several sites: one row
			for i, t := range targets {
				var perCPU []uint64
				if err := counts.Lookup(uint32(i), &perCPU); err != nil {
					return nil, fmt.Errorf("reading counts: %w", err)
				}
				var n uint64
				for _, c := range perCPU {
					n += c
				}
				if d := n - prev[i]; d > 0 {
					if j, ok := at[t.Show]; ok {
						rows[j].count += d
					} else {
						at[t.Show] = len(rows)
						rows = append(rows, row{name: t.Show, count: d})
					}
				}
				prev[i] = n
			}
			return rows, nil
		},
		Write: p.write,
	})
}

type row struct {
	name  string
	count uint64
}

type printer struct {
	cfg *config
	now func() time.Time
	n   int
}

// write prints one summary as bcc's funccount does: rows by count,
// smallest first.
func (p *printer) write(w *bytes.Buffer, rows []row, _ []loader.Dropped) {
	p.n++
	slices.SortStableFunc(rows, func(a, b row) int {
		if a.count != b.count {
			if a.count < b.count {
				return -1
			}
			return 1
		}
		return bytes.Compare([]byte(a.name), []byte(b.name))
	})
	if p.cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Int("summary", int64(p.n))
		if p.cfg.timestamp {
			j.Str("time", output.AppendClock(nil, p.now()))
		}
		list := []byte{'['}
		for i, r := range rows {
			if i > 0 {
				list = append(list, ',')
			}
			list = append(list, `{"func":`...)
			list = output.AppendJSONString(list, []byte(r.name))
			list = append(list, `,"count":`...)
			list = strconv.AppendUint(list, r.count, 10)
			list = append(list, '}')
		}
		j.Raw("counts", append(list, ']'))
		w.Write(j.Bytes())
		return
	}
	w.WriteByte('\n')
	if p.cfg.timestamp {
		w.Write(output.AppendClock(nil, p.now()))
		w.WriteByte('\n')
	}
	fmt.Fprintf(w, "%-36s %8s\n", "FUNC", "COUNT")
	for _, r := range rows {
		b := output.AppendPadRight(nil, output.AppendEscaped(nil, []byte(r.name)), 36)
		fmt.Fprintf(w, "%s %8d\n", b, r.count)
	}
}
