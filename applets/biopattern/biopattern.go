package biopattern

import (
	"context"
	"fmt"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/biopattern"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is biopattern's registration.
var Applet = &applet.Applet{
	Name:    "biopattern",
	Summary: "Show block device I/O pattern: random vs sequential, per disk",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "d", Long: "disk", Kind: applet.String, Meta: "DISK", Usage: "trace this disk only (in the kernel)"},
		{Short: "e", Long: "extended", Usage: "extended fields: the random and sequential I/O counts and the average I/O size"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"biopattern", "show block I/O pattern"},
		{"biopattern 1 10", "print 1 second summaries, 10 times"},
		{"biopattern -T 1", "1s summaries with timestamps"},
		{"biopattern -d sdc", "trace sdc only"},
		{"biopattern -e 1", "1s summaries with I/O counts and average size"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: request completion shows the disk, start sector and size on
// every candidate.
var Hooks = []attach.Hook{{
	Name:       "block I/O completion",
	Candidates: blockdev.Candidates("", "block_rq_complete"),
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadBiopattern()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

var bounded = []loader.Bounded{
	{Counter: "map_full", Slot: 0, Map: "counters", What: "I/O requests", Hint: "use -d to trace one disk"},
}

func run(ctx context.Context, inv *applet.Invocation) error {
	names := blockdev.NewNames()
	cfg, err := newConfig(inv, names.Lookup)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    spec,
		Hooks:   Hooks,
		Consts:  cfg.consts(),
		BTF:     cfg.btf,
		Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	counters := obj.Map("counters")
	if counters == nil {
		return fmt.Errorf("internal: BPF object has no counters map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	p := newPrinter(cfg, names.Name)
	banner := "Tracing block device I/O requested seeks... Hit Ctrl-C to end.\n" + p.header()
	return summary.Run(ctx, summary.Options[counter]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: banner, JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]counter, error) { return summary.Drain(counters, keySize, valueSize, decodeCounter) },
		Write: p.summary,
	})
}
