package funcslower

import (
	"context"
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	bpfobj "github.com/probebox/probebox/bpfobj/funcslower"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/internal/funcs"
)

func init() { applet.Register(Applet) }

// Applet is funcslower's registration.
var Applet = &applet.Applet{
	Name:     "funcslower",
	Needs:    funcs.Needs,
	NeedsAny: true,
	Summary:  "Trace slow calls of kernel or user functions",
	Args: []applet.Arg{
		{Name: "function", Usage: "a pattern: func, lib:func, p:lib:func (globs)"},
		{Name: "function2", Usage: "another pattern (up to four)"},
		{Name: "function3", Usage: "another pattern"},
		{Name: "function4", Usage: "another pattern"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "m", Long: "min-ms", Kind: applet.Int, Meta: "MIN_MS", Usage: "minimum duration to trace, in ms (default 1)"},
		{Short: "u", Long: "min-us", Kind: applet.Int, Meta: "MIN_US", Usage: "minimum duration to trace, in us"},
		{Short: "a", Long: "arguments", Kind: applet.Int, Meta: "ARGUMENTS", Usage: "print this many of the function's arguments, 0-6", Default: "0"},
		{Short: "U", Long: "user-stack", Usage: "print the user stack of each slow call (where it returned)"},
		{Short: "K", Long: "kernel-stack", Usage: "print the kernel stack of each slow call (where it returned)"},
		{Short: "T", Long: "time", Usage: "show HH:MM:SS timestamp"},
		{Short: "t", Long: "timestamp", Usage: "show timestamp in seconds since the start"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"funcslower vfs_write", "trace vfs_write calls slower than 1ms"},
		{"funcslower -m 10 vfs_write", "same, but slower than 10ms"},
		{"funcslower -u 10 c:open", "trace open calls slower than 10us"},
		{"funcslower -p 135 c:open", "trace pid 135 only"},
		{"funcslower c:malloc c:free", "trace both malloc and free slower than 1ms"},
		{"funcslower -a 2 c:open", "show first two arguments to open"},
		{"funcslower -UK -m 10 c:open", "show user and kernel stack for slow open calls"},
	},
	Run: run,
}

const maxArgs = 6

type config struct {
	specs                         []funcs.Spec
	pid, nargs                    int
	minNS                         uint64
	micro                         bool
	clock, elapsed, json, verbose bool
	userStack, kernelStack        bool
	cgroup, btf                   string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{pid: inv.Int("pid"), nargs: inv.Int("arguments"), minNS: 1000000, clock: inv.Bool("time"), elapsed: inv.Bool("timestamp"),
		json: inv.Bool("json"), verbose: inv.Bool("verbose"), userStack: inv.Bool("user-stack"), kernelStack: inv.Bool("kernel-stack"), cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	if len(inv.Args) == 0 {
		return nil, applet.Usagef("funcslower takes one or more function patterns (e.g. vfs_write, c:open)")
	}
	switch {
	case inv.IsSet("min-ms") && inv.IsSet("min-us"):
		return nil, applet.Usagef("-m and -u cannot be used together")
	case inv.IsSet("min-ms"):
		if n := inv.Int("min-ms"); n < 0 {
			return nil, applet.Usagef("invalid -m %d: want milliseconds, 0 or more", n)
		}
		c.minNS = uint64(inv.Int("min-ms")) * 1000000
	case inv.IsSet("min-us"):
		if n := inv.Int("min-us"); n < 0 {
			return nil, applet.Usagef("invalid -u %d: want microseconds, 0 or more", n)
		}
		c.minNS, c.micro = uint64(inv.Int("min-us"))*1000, true
	}
	if c.nargs < 0 || c.nargs > maxArgs {
		return nil, applet.Usagef("invalid -a %d: 0 to %d arguments", c.nargs, maxArgs)
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p", c.pid)
	}
	for _, a := range inv.Args {
		s, err := funcs.Parse(a, false)
		if err != nil {
			return nil, err
		}
		if s.Kind == funcs.Tracepoint {
			return nil, applet.Usagef("invalid function %q: a tracepoint has no return to time", a)
		}
		c.specs = append(c.specs, s)
	}
	return c, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	var targets []funcs.Target
	kernel := false
	for _, s := range cfg.specs {
		if s.Kind == funcs.Kernel {
			if err := funcs.KernelProbes(attach.Running); err != nil {
				return err
			}
			kernel = true
		}
		ts, err := funcs.Resolve(s, cfg.pid)
		if err != nil {
			return err
		}
		targets = append(targets, ts...)
	}
	// fentry/fexit for one kernel function known to BTF, where the kernel
	// has them; kprobes and uprobes otherwise.
	useFentry := false
	if kernel && len(targets) == 1 && !strings.Contains(targets[0].Name, ".") {
		a := attach.Attachment{Kind: attach.Fentry, Target: targets[0].Name}
		useFentry = attach.Running.Supports(attach.Fentry) == nil && attach.Running.HasTarget(a) == nil
	}
	progs := []string{"entry_uprobe", "return_uprobe", "entry_kprobe", "return_kprobe"}
	if useFentry {
		progs = []string{"entry_fentry", "return_fexit"}
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Programs: progs, BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
		Consts: map[string]any{"filter_tgid": int32(cfg.pid), "min_ns": cfg.minNS, "nargs": uint32(cfg.nargs),
			"kernel_stacks": cfg.kernelStack, "user_stacks": cfg.userStack},
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadFuncslower()
			if err == nil {
				for _, p := range []string{"entry_fentry", "return_fexit"} {
					s.Programs[p].AttachTo = targets[0].Name
				}
				if !cfg.kernelStack && !cfg.userStack {
					s.Maps[stacks.StackMap].MaxEntries = 1 // no stacks: no 16 MiB map
				}
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
	if useFentry {
		for _, p := range progs {
			l, err := link.AttachTracing(link.TracingOptions{Program: obj.Coll.Programs[p]})
			if err != nil {
				return fmt.Errorf("attaching fentry/fexit to %s: %w", targets[0].Name, err)
			}
			links = append(links, l)
		}
	} else {
		for i, t := range targets {
			entry, ret := "entry_uprobe", "return_uprobe"
			if t.Kind == funcs.Kernel {
				entry, ret = "entry_kprobe", "return_kprobe"
			}
			l, err := funcs.Return(t, obj.Coll.Programs[ret], uint64(i), cfg.pid)
			if err != nil {
				return fmt.Errorf("attaching a return probe to %s: %w", t.Show, err)
			}
			links = append(links, l)
			if l, err = funcs.Entry(t, obj.Coll.Programs[entry], uint64(i), cfg.pid); err != nil {
				return fmt.Errorf("attaching an entry probe to %s: %w", t.Show, err)
			}
			links = append(links, l)
		}
	}
	if v := inv.VerboseWriter(); v != nil {
		how := "kprobe/kretprobe and uprobe/uretprobe by kind"
		if useFentry {
			how = "fentry + fexit"
		}
		fmt.Fprintf(v, "%s: %d functions: %s\n", inv.Name, len(targets), how)
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "start", What: "calls"},
		loader.Bounded{Counter: "map_full", Slot: 1, Map: stacks.StackMap, What: "stacks", Hint: "more distinct stacks than the stack map holds"})
	if err != nil {
		return err
	}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Show
	}
	p := newPrinter(cfg, names)
	if cfg.kernelStack || cfg.userStack {
		p.stacks = stacks.NewResolver(obj.Map(stacks.StackMap), syms.NewSymbolizer())
	}
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr, Header: header, Verbose: cfg.verbose, Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
