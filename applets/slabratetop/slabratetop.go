package slabratetop

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/slabratetop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/top"
)

func init() { applet.Register(Applet) }

// Applet is slabratetop's registration.
var Applet = &applet.Applet{
	Name:    "slabratetop",
	Summary: "Kernel slab (kmem_cache) allocation rate by cache, top-like",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 1)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace (in the kernel)"},
		{Short: "C", Long: "noclear", Usage: "don't clear the screen (it is only cleared on a terminal)"},
		{Short: "s", Long: "sort", Kind: applet.String, Meta: "SORT", Default: "size", Usage: "sort columns: name, count, size"},
		{Short: "r", Long: "rows", Kind: applet.Int, Meta: "ROWS", Default: "20", Usage: "maximum rows to print"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"slabratetop", "slab rate top, refresh every 1s"},
		{"slabratetop -p 181", "only trace PID 181"},
		{"slabratetop -s count", "sort columns by count"},
		{"slabratetop -r 100", "print 100 rows"},
		{"slabratetop 5 10", "5s summaries, 10 times"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the kmem_cache_alloc tracepoint, typed, raw, or through tracefs.
var Hooks = []attach.Hook{{
	Name: "slab allocation",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "kmem_cache_alloc", Program: "btf_cache_alloc"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "kmem_cache_alloc", Program: "raw_cache_alloc"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "kmem", Target: "kmem_cache_alloc", Program: "tp_cache_alloc"}},
			Limits: "BYTES sums the tracepoint's bytes_alloc; before 6.2 it records no cache name, and every allocation counts under \"?\""},
	},
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadSlabratetop()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "caches", What: "allocations"}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	caches := obj.Map("caches")
	if caches == nil {
		return fmt.Errorf("internal: BPF object has no caches map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	p := newPrinter(cfg)
	p.clear = top.ShouldClear(inv.Stdout, cfg.noClear)
	var buf bytes.Buffer
	return interval.Run(ctx, cfg.every, cfg.count, func(bool) error {
		rows, err := summary.Drain(caches, keySize, valueSize, decodeRow)
		if err != nil {
			return err
		}
		dropped, err := full.Take()
		if err != nil {
			return err
		}
		loader.Report(inv.Stderr, inv.Name, dropped)
		buf.Reset()
		p.print(&buf, rows, top.ReadLoadavg(), dropped)
		_, err = inv.Stdout.Write(buf.Bytes())
		return err
	})
}
