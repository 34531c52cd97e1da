package hardirqs

import (
	"context"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/hardirqs"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/irqstat"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is hardirqs' registration.
var Applet = &applet.Applet{
	Name:    "hardirqs",
	Summary: "Summarize hard irq event time as histograms",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "C", Long: "count", Usage: "show event counts instead of timing"},
		{Short: "d", Long: "dist", Usage: "show distributions as histograms"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace interrupts of tasks in this cgroup v2 directory only"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "N", Long: "nanoseconds", Usage: "output in nanoseconds"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"hardirqs", "sum hard irq event time"},
		{"hardirqs -d", "show hard irq event time as histograms"},
		{"hardirqs 1 10", "print 1 second summaries, 10 times"},
		{"hardirqs -c CG", "trace hard irqs under cgroup v2 path CG"},
		{"hardirqs -NT 1", "1s summaries, nanoseconds, and timestamps"},
		{"hardirqs -C", "count hard irq events instead of timing them"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: handler entry and exit, used together, best first.
var Hooks = []attach.Hook{{
	Name: "hard irq handler",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.TPBTF, Target: "irq_handler_entry", Program: "btf_irq_handler_entry"},
			{Kind: attach.TPBTF, Target: "irq_handler_exit", Program: "btf_irq_handler_exit"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.RawTracepoint, Target: "irq_handler_entry", Program: "raw_irq_handler_entry"},
			{Kind: attach.RawTracepoint, Target: "irq_handler_exit", Program: "raw_irq_handler_exit"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "irq", Target: "irq_handler_entry", Program: "tp_irq_handler_entry"},
			{Kind: attach.Tracepoint, Group: "irq", Target: "irq_handler_exit", Program: "tp_irq_handler_exit"},
		},
			Limits: "an event arriving while any BPF tracing program runs on its CPU is skipped by the kernel (counted and reported as missed)"},
	},
}}

const nameLen = irqstat.NameLen // IRQSTAT_NAME_LEN

type config struct {
	format      irqstat.Format
	cgroup, btf string
	verbose     bool
	every       time.Duration
	count       int
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		format: irqstat.Format{Kind: "hardirq", NameWidth: 26,
			CountOnly: inv.Bool("count"), Dist: inv.Bool("dist"), Nanoseconds: inv.Bool("nanoseconds"),
			Timestamp: inv.Bool("timestamp"), JSON: inv.Bool("json")},
		cgroup: inv.String("cgroup"), btf: inv.String("btf"), verbose: inv.Bool("verbose"),
	}
	if c.format.CountOnly && c.format.Dist {
		return nil, applet.Usagef("-C and -d cannot be used together")
	}
	var err error
	if c.every, c.count, err = interval.Args(inv.Args); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *config) banner() string {
	if c.format.CountOnly {
		return "Tracing hard irq events... Hit Ctrl-C to end.\n"
	}
	return "Tracing hard irq event time... Hit Ctrl-C to end.\n"
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name,
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadHardirqs()
			if err == nil { // only maps are read: no event buffer
				delete(s.Maps, "events")
				delete(s.Maps, "lost_events")
			}
			return s, err
		},
		Hooks: Hooks,
		Consts: map[string]any{
			"irq_count_only": cfg.format.CountOnly, "irq_dist": cfg.format.Dist, "irq_nsecs": cfg.format.Nanoseconds,
		},
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	stats := obj.Map("stats")
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "stats", What: "interrupts"})
	if err != nil {
		return err
	}
	var deltas irqstat.Deltas
	p := &irqstat.Printer{F: cfg.format, Now: time.Now}
	missed := irqstat.NewMissed(obj.Coll)
	return summary.Run(ctx, summary.Options[irqstat.Row]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: cfg.banner(), JSON: cfg.format.JSON, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]irqstat.Row, error) {
			p.Missed = missed.Take()
			irqstat.Report(inv.Stderr, inv.Name, p.Missed)
			return drain(stats, &deltas)
		},
		Write: p.Write,
	})
}

// drain returns what ran since the previous summary.
func drain(stats *ebpf.Map, deltas *irqstat.Deltas) ([]irqstat.Row, error) {
	totals, err := irqstat.ReadNames(stats)
	if err != nil {
		return nil, err
	}
	return deltas.Take(totals, nil), nil
}
