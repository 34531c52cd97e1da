package softirqs

import (
	"context"
	"runtime"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/softirqs"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/irqstat"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is softirqs' registration.
var Applet = &applet.Applet{
	Name:    "softirqs",
	Summary: "Summarize soft irq event time as histograms",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "N", Long: "nanoseconds", Usage: "output in nanoseconds"},
		{Short: "d", Long: "dist", Usage: "show distributions as histograms"},
		{Short: "C", Long: "count", Usage: "show event counts with timing"},
		{Short: "c", Long: "cpu", Kind: applet.Int, Meta: "CPU", Usage: "trace this CPU only", Default: "-1"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"softirqs", "sum soft irq event time"},
		{"softirqs -d", "show soft irq event time as histograms"},
		{"softirqs -C", "show event counts with timing"},
		{"softirqs 1 10", "print 1 second summaries, 10 times"},
		{"softirqs -NT 1", "1s summaries, nanoseconds, and timestamps"},
		{"softirqs -c 1", "trace CPU 1 only"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: softirq entry and exit, used together, best first.
var Hooks = []attach.Hook{{
	Name: "softirq",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.TPBTF, Target: "softirq_entry", Program: "btf_softirq_entry"},
			{Kind: attach.TPBTF, Target: "softirq_exit", Program: "btf_softirq_exit"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.RawTracepoint, Target: "softirq_entry", Program: "raw_softirq_entry"},
			{Kind: attach.RawTracepoint, Target: "softirq_exit", Program: "raw_softirq_exit"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "irq", Target: "softirq_entry", Program: "tp_softirq_entry"},
			{Kind: attach.Tracepoint, Group: "irq", Target: "softirq_exit", Program: "tp_softirq_exit"},
		},
			Limits: "an event arriving while any BPF tracing program runs on its CPU is skipped by the kernel (counted and reported as missed)"},
	},
}}

type config struct {
	format  irqstat.Format
	cpu     int
	btf     string
	verbose bool
	every   time.Duration
	count   int
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		format: irqstat.Format{Kind: "softirq", NameWidth: 16,
			CountColumn: inv.Bool("count"), Dist: inv.Bool("dist"), Nanoseconds: inv.Bool("nanoseconds"),
			Timestamp: inv.Bool("timestamp"), JSON: inv.Bool("json")},
		cpu: inv.Int("cpu"), btf: inv.String("btf"), verbose: inv.Bool("verbose"),
	}
	if c.format.CountColumn && c.format.Dist {
		return nil, applet.Usagef("-C and -d cannot be used together")
	}
	if inv.IsSet("cpu") {
		n, err := ebpf.PossibleCPU()
		if err != nil {
			n = runtime.NumCPU()
		}
		if c.cpu < 0 || c.cpu >= n {
			return nil, applet.Usagef("invalid CPU %d for -c: this machine has CPUs 0-%d", c.cpu, n-1)
		}
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	return c, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name,
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadSoftirqs()
			if err == nil { // only maps are read: no event buffer
				delete(s.Maps, "events")
				delete(s.Maps, "lost_events")
			}
			return s, err
		},
		Hooks: Hooks,
		Consts: map[string]any{
			"irq_dist": cfg.format.Dist, "irq_nsecs": cfg.format.Nanoseconds, "filter_cpu": int32(cfg.cpu),
		},
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	stats := obj.Map("stats")
	full, err := obj.MapFull()
	if err != nil {
		return err
	}
	var deltas irqstat.Deltas
	p := &irqstat.Printer{F: cfg.format, Now: time.Now}
	missed := irqstat.NewMissed(obj.Coll)
	return summary.Run(ctx, summary.Options[irqstat.Row]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing soft irq event time... Hit Ctrl-C to end.\n", JSON: cfg.format.JSON, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]irqstat.Row, error) {
			totals, err := irqstat.ReadVectors(stats)
			if err != nil {
				return nil, err
			}
			p.Missed = missed.Take()
			irqstat.Report(inv.Stderr, inv.Name, p.Missed)
			return deltas.Take(totals, irqstat.VecOrder), nil
		},
		Write: p.Write,
	})
}
