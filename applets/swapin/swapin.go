package swapin

import (
	"context"
	"fmt"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/swapin"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is swapin's registration.
var Applet = &applet.Applet{
	Name:    "swapin",
	Summary: "Count swap-ins by process",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 1)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "notime", Usage: "do not show the timestamp (HH:MM:SS)"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "count this process only (in the kernel; not in bcc)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"swapin", "count swap-ins by process, every second"},
		{"swapin 5 3", "every 5 seconds, 3 times"},
		{"swapin -T", "without the HH:MM:SS line"},
		{"swapin --json", "one JSON object per interval"},
	},
	Hooks: Hooks,
	Run:   run,
}

// StandInLimits says what the memcg tracepoint sees instead of the calls.
const StandInLimits = "counts swap-ins read from a swap device (the PSWPIN event, per folio); " +
	"swap-ins served by zswap or of zero-filled pages are not reads and are not counted"

// Hooks: the swap read function (swap_read_folio since 6.9, before that
// swap_readpage) by fentry, else kprobe; else the PSWPIN memcg event.
var Hooks = []attach.Hook{{
	Name: "swap-ins",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "swap_read_folio", Program: "fentry_swap_read_folio"}}},
		{Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "swap_readpage", Program: "fentry_swap_readpage"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "swap_read_folio", Program: "kprobe_swap_read"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "swap_readpage", Program: "kprobe_swap_read"}}},
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "count_memcg_events", Program: "tp_btf_count_memcg_events"}}, Limits: StandInLimits},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "memcg", Target: "count_memcg_events", Program: "tp_count_memcg_events"}}, Limits: StandInLimits},
	},
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadSwapin()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

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
	counts := obj.Map("counts")
	if counts == nil {
		return fmt.Errorf("internal: BPF object has no counts map")
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "counts", What: "swap-ins"})
	if err != nil {
		return err
	}
	p := &printer{json: cfg.json, notime: cfg.notime, now: time.Now}
	return summary.Run(ctx, summary.Options[row]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Counting swap ins. Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]row, error) { return summary.Drain(counts, keySize, 8, decode) },
		Write: p.summary,
	})
}
