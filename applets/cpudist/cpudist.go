package cpudist

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/cpudist"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is cpudist's registration.
var Applet = &applet.Applet{
	Name:    "cpudist",
	Summary: "Summarize on-CPU (or off-CPU) time per task as a histogram",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "m", Long: "milliseconds", Usage: "millisecond histogram"},
		{Short: "O", Long: "offcpu", Usage: "measure off-CPU time"},
		{Short: "P", Long: "pids", Usage: "print a histogram per process ID"},
		{Short: "L", Long: "tids", Usage: "print a histogram per thread ID"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		{Long: "max-keys", Kind: applet.Int, Meta: "N", Usage: fmt.Sprintf("histograms kept per interval (with -P, -L), %d-%d", minKeys, maxKeys), Default: strconv.Itoa(defaultKeys)},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"cpudist", "summarize on-CPU time as a histogram"},
		{"cpudist -O", "summarize off-CPU time as a histogram"},
		{"cpudist 1 10", "print 1 second summaries, 10 times"},
		{"cpudist -mT 1", "1s summaries, milliseconds, and timestamps"},
		{"cpudist -P", "show each PID separately"},
		{"cpudist -L", "show each thread separately"},
		{"cpudist -p 185", "trace PID 185 only"},
		{"cpudist -c CG", "trace processes under cgroup v2 path CG"},
		{"cpudist --json 5", "one JSON object per 5 second summary"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks are cpudist's ways into the scheduler, best first.
var Hooks = []attach.Hook{{
	Name: "context switch",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "sched_switch", Program: "btf_sched_switch"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sched_switch", Program: "raw_sched_switch"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "sched", Target: "sched_switch", Program: "tp_sched_switch"}},
			Limits: "-p is tested when a task is switched out, not in (the tracefs format has no process ID for the task switched in)"},
	},
}}

// startEntries, when not 0, sizes the map of open intervals: a test's way
// to fill it.
var startEntries uint32

// spec is the embedded object without the shared event buffer: cpudist
// only fills maps. The hists map is sized by --max-keys.
func spec(keys int) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadCpudist()
		if err != nil {
			return nil, err
		}
		delete(s.Maps, "events")
		delete(s.Maps, "lost_events")
		if m, ok := s.Maps["hists"]; ok {
			m.MaxEntries = uint32(keys)
		}
		if m, ok := s.Maps["start"]; ok && startEntries > 0 {
			m.MaxEntries = startEntries
		}
		return s, nil
	}
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    spec(cfg.maxKeys),
		Hooks:   Hooks,
		Consts:  cfg.consts(),
		BTF:     cfg.btf,
		Cgroup:  cfg.cgroup,
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
	full, err := obj.MapFull(bounded(cfg)...)
	if err != nil {
		return err
	}

	p := newPrinter(cfg)
	return summary.Run(ctx, summary.Options[entry]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing " + cfg.mode()[:len(cfg.mode())-4] + "-CPU time... Hit Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]entry, error) { return drain(hists) },
		Write: p.summary,
	})
}

// bounded are the maps whose refusals the BPF side counts in map_full
// (slots CPUDIST_FULL_* in bpfobj/cpudist/cpudist.h).
func bounded(cfg *config) []loader.Bounded {
	hint := ""
	if cfg.key != keyAll {
		hint = "raise --max-keys"
	}
	return []loader.Bounded{
		{Counter: "map_full", Slot: 0, Map: "hists", What: "intervals", Hint: hint},
		{Counter: "map_full", Slot: 1, Map: "start", What: "switches"},
	}
}
