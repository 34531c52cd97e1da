package funcinterval

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	bpfobj "github.com/probebox/probebox/bpfobj/funcinterval"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/internal/funcs"
)

func init() { applet.Register(Applet) }

// Applet is funcinterval's registration.
var Applet = &applet.Applet{
	Name:     "funcinterval",
	Needs:    funcs.Needs,
	NeedsAny: true,
	Summary:  "Time the interval between calls of a function or tracepoint as a histogram",
	Args:     []applet.Arg{{Name: "pattern", Usage: "func, t:group:event, lib:func, p:lib:func (globs; -r: regular expressions)"}},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "summary interval, in seconds"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace, in seconds"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "u", Long: "microseconds", Usage: "microsecond histogram"},
		{Short: "m", Long: "milliseconds", Usage: "millisecond histogram"},
		{Short: "r", Long: "regexp", Usage: "use regular expressions; default is \"*\" wildcards only"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"funcinterval do_sys_open", "time the interval of do_sys_open()"},
		{"funcinterval c:read", "time the interval of read() in libc"},
		{"funcinterval -u vfs_read", "time the interval of vfs_read(), in microseconds"},
		{"funcinterval -m t:block:block_rq_issue", "time the interval of block_rq_issue, in milliseconds"},
		{"funcinterval -mTi 5 vfs_read", "output every 5 seconds, with timestamps"},
		{"funcinterval -p 181 vfs_read", "time process 181 only"},
	},
	Run: run,
}

const maxSlots = 64 // FUNCINT_MAX_SLOTS

type config struct {
	spec                     funcs.Spec
	pattern                  string
	pid                      int
	timestamp, json, verbose bool
	unitNS                   uint64
	cgroup, btf              string
	every, duration          time.Duration
}

func (c *config) unit() string {
	return map[uint64]string{1: "nsecs", 1000: "usecs", 1000000: "msecs"}[c.unitNS]
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{pid: inv.Int("pid"), timestamp: inv.Bool("timestamp"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		unitNS: 1, cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	if len(inv.Args) != 1 {
		return nil, applet.Usagef("funcinterval takes one pattern (e.g. vfs_read, t:block:block_rq_issue, c:read)")
	}
	switch {
	case inv.Bool("microseconds") && inv.Bool("milliseconds"):
		return nil, applet.Usagef("-u and -m cannot be used together")
	case inv.Bool("microseconds"):
		c.unitNS = 1000
	case inv.Bool("milliseconds"):
		c.unitNS = 1000000
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	for _, f := range []struct {
		name string
		dst  *time.Duration
	}{{"interval", &c.every}, {"duration", &c.duration}} {
		if inv.IsSet(f.name) {
			n := inv.Int(f.name)
			if n <= 0 {
				return nil, applet.Usagef("invalid %s %d: want seconds > 0", f.name, n)
			}
			*f.dst = time.Duration(n) * time.Second
		}
	}
	var err error
	if c.spec, err = funcs.Parse(inv.Args[0], inv.Bool("regexp")); err != nil {
		return nil, err
	}
	c.pattern = inv.Args[0]
	return c, nil
}

var progFor = map[funcs.Kind]string{funcs.Kernel: "on_kprobe", funcs.Tracepoint: "on_tracepoint", funcs.User: "on_uprobe"}

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
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Programs: []string{prog}, BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
		Consts: map[string]any{"filter_tgid": int32(cfg.pid), "unit_ns": cfg.unitNS},
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadFuncinterval()
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
	var links []link.Link
	defer func() {
		for _, l := range links {
			l.Close()
		}
	}()
	for i, t := range targets {
		l, err := funcs.Entry(t, obj.Coll.Programs[prog], uint64(i), cfg.pid)
		if err != nil {
			return fmt.Errorf("attaching a %s to %s: %w", funcs.KindName(t.Kind), t.Show, err)
		}
		links = append(links, l)
	}
	if v := inv.VerboseWriter(); v != nil {
		fmt.Fprintf(v, "%s: %d %s probes\n", inv.Name, len(targets), funcs.KindName(cfg.spec.Kind))
	}
	if !cfg.json {
		fmt.Fprintf(inv.Stdout, "Tracing %d functions for \"%s\"... Hit Ctrl-C to end.\n", len(targets), output.Escape(cfg.pattern))
	}
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	hm := obj.Map("hist")
	var prev [maxSlots]uint64
	n := 0
	return summary.Run(ctx, summary.Options[[]uint64]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr, JSON: true, Verbose: cfg.verbose,
		Every: cfg.every, Full: &loader.MapFull{},
		Drain: func() ([][]uint64, error) {
			var v [maxSlots]uint64
			if err := hm.Lookup(uint32(0), &v); err != nil {
				return nil, fmt.Errorf("reading the histogram: %w", err)
			}
			d := make([]uint64, maxSlots)
			for i := range v {
				d[i] = v[i] - prev[i]
			}
			prev = v
			return [][]uint64{d}, nil
		},
		Write: func(w *bytes.Buffer, hs [][]uint64, _ []loader.Dropped) {
			n++
			write(w, hs[0], cfg, n, time.Now())
		},
	})
}

// write prints one summary as bcc's funcinterval does.
func write(w *bytes.Buffer, slots []uint64, cfg *config, n int, now time.Time) {
	if cfg.json {
		var j output.JSONLine
		j.Reset()
		j.Int("summary", int64(n))
		if cfg.timestamp {
			j.Str("time", output.AppendClock(nil, now))
		}
		j.Raw("hist", hist.AppendLog2JSON(nil, slots, cfg.unit()))
		w.Write(j.Bytes())
		return
	}
	w.WriteByte('\n')
	if cfg.timestamp {
		w.Write(output.AppendClock(nil, now))
		w.WriteByte('\n')
	}
	hist.PrintLog2(w, slots, cfg.unit())
}
