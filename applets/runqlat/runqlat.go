// Package runqlat summarizes run queue (scheduler) latency: how long
// runnable tasks waited for a CPU, as log2 histograms printed at each
// interval or at Ctrl-C, as libbpf-tools' runqlat does.
//
// --json prints one object per summary:
//
//	summary     1-based number of the summary
//	time        local time "HH:MM:SS" (only with -T)
//	histograms  list, sorted by key, of:
//	  pid | tid | pidns   the key (with -P, -L or --pidnss; absent otherwise)
//	  comm                first task name seen under the key (with a key)
//	  unit                "usecs" or "msecs" (-m)
//	  buckets             [{"low","high","count"}], log2 slots up to the last non-empty one
//	not_counted {"hists": N, "start": N}: waits of the interval that full
//	            maps kept out of the histograms (the hists map had no room for
//	            a new key: raise --max-keys; the start map, of 10240 threads,
//	            had no room for a waiting thread); also said on stderr
//
// Without -P/-L/--pidnss the list holds one histogram, or none when no
// task waited.
package runqlat

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/runqlat"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is runqlat's registration.
var Applet = &applet.Applet{
	Name:    "runqlat",
	Summary: "Summarize run queue (scheduler) latency as a histogram",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "m", Long: "milliseconds", Usage: "millisecond histogram"},
		{Long: "pidnss", Usage: "print a histogram per PID namespace"},
		{Short: "P", Long: "pids", Usage: "print a histogram per process ID"},
		{Short: "L", Long: "tids", Usage: "print a histogram per thread ID"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		{Long: "max-keys", Kind: applet.Int, Meta: "N", Usage: fmt.Sprintf("histograms kept per interval (with -P, -L, --pidnss), %d-%d", minKeys, maxKeys), Default: strconv.Itoa(defaultKeys)},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"runqlat", "summarize run queue latency as a histogram"},
		{"runqlat 1 10", "print 1 second summaries, 10 times"},
		{"runqlat -mT 1", "1s summaries, milliseconds, and timestamps"},
		{"runqlat -P", "show each PID separately"},
		{"runqlat -L", "show each thread separately"},
		{"runqlat --pidnss", "show each PID namespace separately"},
		{"runqlat -p 185", "trace PID 185 only"},
		{"runqlat -c CG", "trace processes under cgroup v2 path CG"},
		{"runqlat --json 5", "one JSON object per 5 second summary"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks are runqlat's ways into the scheduler, best first. The three
// tracepoints are used together: wakeups enqueue, sched_switch dequeues.
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

// startEntries, when not 0, sizes the map of waiting threads: a test's
// way to fill it.
var startEntries uint32

// spec is the embedded object without the shared event buffer: runqlat
// only fills maps, so the ring buffer would be memory for nothing.
// The hists map is sized by --max-keys.
func spec(keys int) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadRunqlat()
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
		Banner: "Tracing run queue latency... Hit Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]entry, error) { return drain(hists) },
		Write: p.summary,
	})
}

// bounded are the maps whose refusals the BPF side counts in map_full
// (slots RUNQLAT_FULL_* in bpfobj/include/runqlat.h).
func bounded(cfg *config) []loader.Bounded {
	hint := ""
	if cfg.key != keyAll {
		hint = "raise --max-keys" // the one key of an unsplit histogram always fits
	}
	return []loader.Bounded{
		{Counter: "map_full", Slot: 0, Map: "hists", What: "waits", Hint: hint},
		{Counter: "map_full", Slot: 1, Map: "start", What: "wakeups"},
	}
}
