package runqslower

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/runqslower"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is runqslower's registration.
var Applet = &applet.Applet{
	Name:    "runqslower",
	Summary: "Trace high run queue latency",
	Args: []applet.Arg{
		{Name: "min_us", Usage: "minimum run queue latency to trace, in us (default 10000; 0: every wait)"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "thread ID to trace"},
		{Short: "P", Long: "previous", Usage: "also show the previous task's name and TID"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"runqslower", "trace run queue latency higher than 10000 us (default)"},
		{"runqslower 1000", "trace run queue latency higher than 1000 us"},
		{"runqslower -p 123", "trace pid 123"},
		{"runqslower -t 123", "trace tid 123 (use for threads only)"},
		{"runqslower -P", "also show previous task name and TID"},
		{"runqslower --json 0", "every wait, one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks are runqslower's ways into the scheduler, best first: wakeups
// enqueue, sched_switch dequeues, the three used together.
var Hooks = []attach.Hook{{
	Name: "run queue",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.TPBTF, Target: "sched_wakeup", Program: "btf_sched_wakeup"},
			{Kind: attach.TPBTF, Target: "sched_wakeup_new", Program: "btf_sched_wakeup_new"},
			{Kind: attach.TPBTF, Target: "sched_switch", Program: "btf_sched_switch"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.RawTracepoint, Target: "sched_wakeup", Program: "raw_sched_wakeup"},
			{Kind: attach.RawTracepoint, Target: "sched_wakeup_new", Program: "raw_sched_wakeup_new"},
			{Kind: attach.RawTracepoint, Target: "sched_switch", Program: "raw_sched_switch"},
		}},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadRunqslower, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "start", What: "wakeups"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose, Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
