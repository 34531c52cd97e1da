package bitesize

import (
	"context"
	"fmt"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/bitesize"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is bitesize's registration.
var Applet = &applet.Applet{
	Name:    "bitesize",
	Summary: "Summarize block device I/O size as a histogram per process",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "c", Long: "comm", Kind: applet.String, Meta: "COMM", Usage: "trace processes whose name starts with COMM only (in the kernel)"},
		{Short: "d", Long: "disk", Kind: applet.String, Meta: "DISK", Usage: "trace this disk only (in the kernel)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"bitesize", "summarize block I/O size as a histogram per process"},
		{"bitesize 1 10", "print 1 second summaries, 10 times"},
		{"bitesize -T 1", "1s summaries with timestamps"},
		{"bitesize -c fio", "trace fio only"},
		{"bitesize -d sdc", "trace sdc only"},
		{"bitesize --json 5", "one JSON object per 5 second summary"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: block_rq_insert remembers who submitted a request, block_rq_issue
// counts it.
var Hooks = []attach.Hook{{
	Name: "block I/O issue",
	Candidates: blockdev.Candidates("requests inserted and issued are matched by disk and sector",
		"block_rq_insert", "block_rq_issue"),
}}

// spec is the embedded object without the event buffer: bitesize only
// fills maps.
func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadBitesize()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

// bounded are the maps whose refusals the BPF side counts in map_full
// (BITESIZE_FULL_* in bpfobj/bitesize/bitesize.h).
var bounded = []loader.Bounded{
	{Counter: "map_full", Slot: 0, Map: "hists", What: "I/O requests", Hint: "use -c to trace fewer processes"},
	{Counter: "map_full", Slot: 1, Map: "blk_whos", What: "I/O requests' submitters (counted under the issuing task)"},
}

func run(ctx context.Context, inv *applet.Invocation) error {
	names := blockdev.NewNames()
	cfg, err := newConfig(inv, names.Lookup)
	if err != nil {
		return err
	}
	res, err := kbtf.Default(cfg.btf).Resolve()
	if err != nil {
		return err
	}
	consts := cfg.consts()
	consts["rq_after_q"] = blockdev.RqAfterQueue(res.Spec)
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    spec,
		Hooks:   Hooks,
		Consts:  consts,
		BTF:     cfg.btf,
		Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	hists := obj.Map("hists")
	if hists == nil {
		return fmt.Errorf("internal: BPF object has no hists map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	return summary.Run(ctx, summary.Options[entry]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing block device I/O... Hit Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]entry, error) { return drain(hists) },
		Write: p.summary,
	})
}
