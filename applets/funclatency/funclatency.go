package funclatency

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	bpfobj "github.com/probebox/probebox/bpfobj/funclatency"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/internal/funcs"
)

func init() { applet.Register(Applet) }

// Applet is funclatency's registration.
var Applet = &applet.Applet{
	Name:     "funclatency",
	Needs:    funcs.Needs,
	NeedsAny: true,
	Summary:  "Time functions and print latency as a histogram",
	Args:     []applet.Arg{{Name: "pattern", Usage: "function(s) to time: func, lib:func, p:lib:func (globs; -r: regular expressions)"}},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "summary interval, in seconds"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace, in seconds"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "u", Long: "microseconds", Usage: "microsecond histogram"},
		{Short: "m", Long: "milliseconds", Usage: "millisecond histogram"},
		{Short: "F", Long: "function", Usage: "show a separate histogram per function"},
		{Short: "r", Long: "regexp", Usage: "use regular expressions; default is \"*\" wildcards only"},
		{Short: "l", Long: "level", Kind: applet.Int, Meta: "LEVEL", Usage: fmt.Sprintf("time nested or recursive calls up to this depth, 1-%d", maxLevel), Default: "1"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"funclatency do_sys_open", "time the do_sys_open() kernel function"},
		{"funclatency c:read", "time the read() C library function"},
		{"funclatency -u vfs_read", "time vfs_read(), in microseconds"},
		{"funclatency -m do_nanosleep", "time do_nanosleep(), in milliseconds"},
		{"funclatency -i 2 -d 10 c:open", "output every 2 seconds, for duration 10s"},
		{"funclatency -mTi 5 vfs_read", "output every 5 seconds, with timestamps"},
		{"funclatency -p 181 vfs_read", "time process 181 only"},
		{"funclatency 'vfs_fstat*'", "time both vfs_fstat() and vfs_fstatat()"},
		{"funclatency 'c:*printf'", "time the *printf family of functions"},
		{"funclatency -F 'vfs_r*'", "show one histogram per matched function"},
	},
	Run: run,
}

const (
	maxLevel = 8  // FUNCLAT_MAX_LEVEL
	maxSlots = 64 // FUNCLAT_MAX_SLOTS
)

type config struct {
	spec                              funcs.Spec
	pattern                           string
	pid, level                        int
	timestamp, perFunc, json, verbose bool
	unitNS                            uint64
	cgroup, btf                       string
	every, duration                   time.Duration
}

func (c *config) unit() string {
	switch c.unitNS {
	case 1000:
		return "usecs"
	case 1000000:
		return "msecs"
	}
	return "nsecs"
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{pid: inv.Int("pid"), level: inv.Int("level"), timestamp: inv.Bool("timestamp"), perFunc: inv.Bool("function"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), unitNS: 1, cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	if len(inv.Args) != 1 {
		return nil, applet.Usagef("funclatency takes one pattern (e.g. vfs_read, c:malloc)")
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
	if c.level < 1 || c.level > maxLevel {
		return nil, applet.Usagef("invalid level %d for -l: must be 1-%d", c.level, maxLevel)
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
	if c.spec.Kind == funcs.Tracepoint {
		return nil, applet.Usagef("invalid pattern %q: a tracepoint has no return to time", inv.Args[0])
	}
	c.pattern = inv.Args[0]
	return c, nil
}

// plan picks the programs: fentry/fexit for one kernel function known to
// BTF where the kernel has them, else kprobes, else uprobes.
func plan(cfg *config, targets []funcs.Target, k attach.Kernel) (entry, ret string, why string) {
	if cfg.spec.Kind == funcs.User {
		return "entry_uprobe", "return_uprobe", "uprobe + uretprobe"
	}
	if len(targets) == 1 && !strings.Contains(targets[0].Name, ".") {
		a := attach.Attachment{Kind: attach.Fentry, Target: targets[0].Name}
		err := k.Supports(attach.Fentry)
		if err == nil {
			if err = k.HasTarget(a); err == nil {
				return "entry_fentry", "return_fexit", "fentry + fexit"
			}
		}
		return "entry_kprobe", "return_kprobe", fmt.Sprintf("kprobe + kretprobe (not fentry: %v)", err)
	}
	return "entry_kprobe", "return_kprobe", "kprobe + kretprobe (fentry serves one BTF-named function)"
}

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
	entryProg, retProg, why := plan(cfg, targets, attach.Running)
	nhists := 1
	if cfg.perFunc {
		nhists = len(targets)
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Programs: []string{entryProg, retProg}, BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
		Consts: map[string]any{"filter_tgid": int32(cfg.pid), "unit_ns": cfg.unitNS, "per_function": cfg.perFunc, "max_level": uint32(cfg.level)},
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadFunclatency()
			if err != nil {
				return nil, err
			}
			delete(s.Maps, "events")
			delete(s.Maps, "lost_events")
			s.Maps["hists"].MaxEntries = uint32(nhists)
			for _, p := range []string{"entry_fentry", "return_fexit"} {
				s.Programs[p].AttachTo = targets[0].Name
			}
			return s, nil
		},
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	links, err := attachAll(obj, targets, entryProg, retProg, cfg.pid)
	defer func() {
		for _, l := range links {
			l.Close()
		}
	}()
	if err != nil {
		return err
	}
	if v := inv.VerboseWriter(); v != nil {
		fmt.Fprintf(v, "%s: %d functions: %s\n", inv.Name, len(targets), why)
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "start", What: "calls"})
	if err != nil {
		return err
	}
	if !cfg.json {
		fmt.Fprintf(inv.Stdout, "Tracing %d functions for \"%s\"... Hit Ctrl-C to end.\n", len(targets), output.Escape(cfg.pattern))
	}
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Show
	}
	hists := obj.Map("hists")
	prev := make([]histValue, nhists)
	p := &printer{cfg: cfg, now: time.Now}
	return summary.Run(ctx, summary.Options[fnHist]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr, JSON: true, Verbose: cfg.verbose,
		Every: cfg.every, Full: full,
		Drain: func() ([]fnHist, error) { return drain(hists, names, prev, cfg.perFunc) },
		Write: func(w *bytes.Buffer, hs []fnHist, d []loader.Dropped) { p.write(w, hs, d) },
	})
}

func attachAll(obj *loader.Object, targets []funcs.Target, entryProg, retProg string, pid int) ([]link.Link, error) {
	var links []link.Link
	ep, rp := obj.Coll.Programs[entryProg], obj.Coll.Programs[retProg]
	if entryProg == "entry_fentry" {
		for _, p := range []*ebpf.Program{ep, rp} {
			l, err := link.AttachTracing(link.TracingOptions{Program: p})
			if err != nil {
				return links, fmt.Errorf("attaching fentry/fexit to %s: %w", targets[0].Name, err)
			}
			links = append(links, l)
		}
		return links, nil
	}
	for i, t := range targets {
		// The return probe first: an entry seen without its return would
		// leave a thread's stack of calls one deep too many.
		l, err := funcs.Return(t, rp, uint64(i), pid)
		if err != nil {
			return links, fmt.Errorf("attaching a return probe to %s: %w", t.Show, err)
		}
		links = append(links, l)
		if l, err = funcs.Entry(t, ep, uint64(i), pid); err != nil {
			return links, fmt.Errorf("attaching an entry probe to %s: %w", t.Show, err)
		}
		links = append(links, l)
	}
	return links, nil
}
