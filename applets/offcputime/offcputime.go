package offcputime

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/offcputime"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/unwind"
)

func init() { applet.Register(Applet) }

// Applet is offcputime's registration.
var Applet = &applet.Applet{
	Name:    "offcputime",
	Summary: "Summarize off-CPU time (blocked time) by stack trace",
	Args: []applet.Arg{
		{Name: "duration", Usage: "duration of the trace, in seconds (default: until Ctrl-C)"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "trace this TID only"},
		{Short: "u", Long: "user-threads-only", Usage: "user threads only (no kernel threads)"},
		{Short: "k", Long: "kernel-threads-only", Usage: "kernel threads only (no user threads)"},
		{Short: "U", Long: "user-stacks-only", Usage: "show stacks from user space only (no kernel space stacks)"},
		{Short: "K", Long: "kernel-stacks-only", Usage: "show stacks from kernel space only (no user space stacks)"},
		{Short: "d", Long: "delimited", Usage: "insert delimiter between kernel/user stacks"},
		{Short: "f", Long: "folded", Usage: "output folded format"},
		{Short: "m", Long: "min-block-time", Kind: applet.Int, Meta: "MIN-BLOCK-TIME", Default: "1", Usage: "the amount of time in microseconds over which we store traces"},
		{Short: "M", Long: "max-block-time", Kind: applet.Int, Meta: "MAX-BLOCK-TIME", Usage: "the amount of time in microseconds under which we store traces (default U64_MAX)"},
		{Long: "state", Kind: applet.Int, Meta: "STATE", Usage: "filter on this thread state bitmask (eg, 2 == TASK_UNINTERRUPTIBLE) see include/linux/sched.h"},
		{Long: "stack-storage-size", Kind: applet.Int, Meta: "SIZE", Default: strconv.Itoa(defaultStorage), Usage: "the number of unique stack traces that can be stored and displayed"},
		{Long: "pprof", Kind: applet.String, Meta: "OUTFILE", Usage: "write a gzipped pprof profile (values in microseconds) to FILE"},
		{Long: "svg", Kind: applet.String, Meta: "OUTFILE", Usage: "write an interactive off-CPU flame graph (SVG) to FILE"},
		{Long: "unwind", Kind: applet.String, Meta: "MODE", Default: unwind.ModeAuto, Usage: unwind.FlagUsage},
		{Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace threads in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"offcputime", "trace off-CPU stack time until Ctrl-C"},
		{"offcputime 5", "trace for 5 seconds only"},
		{"offcputime -m 1000", "trace only events that last more than 1000 usec"},
		{"offcputime -M 10000", "trace only events that last less than 10000 usec"},
		{"offcputime -p 185", "only trace threads for PID 185"},
		{"offcputime -t 188", "only trace thread 188"},
		{"offcputime -u", "only trace user threads (no kernel)"},
		{"offcputime -k", "only trace kernel threads (no user)"},
		{"offcputime -f 5", "5 seconds, folded output for flame graphs"},
		{"offcputime --state 2", "only threads blocked uninterruptibly (TASK_UNINTERRUPTIBLE)"},
		{"offcputime --svg offcpu.svg 10", "write an off-CPU flame graph of 10 seconds"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: sched_switch, best first.
var Hooks = []attach.Hook{{
	Name: "context switch",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "sched_switch", Program: "btf_sched_switch"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sched_switch", Program: "raw_sched_switch"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "sched", Target: "sched_switch", Program: "tp_sched_switch"}}},
	},
}}

func spec(storage int, unwinding bool) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadOffcputime()
		if err != nil {
			return nil, err
		}
		delete(s.Maps, "events")
		delete(s.Maps, "lost_events")
		s.Maps[stacks.StackMap].MaxEntries = uint32(storage)
		s.Maps["counts"].MaxEntries = uint32(storage)
		unwind.SizeMaps(s, storage, unwinding)
		return s, nil
	}
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	unwinding, err := unwind.Decide(cfg.unwind, !cfg.kernelOnly, ebpf.RawTracepoint, inv.VerboseWriter(), inv.Name)
	if err != nil {
		return err
	}
	consts := cfg.consts()
	for k, v := range unwind.Consts(unwinding) {
		consts[k] = v
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec(cfg.storage, unwinding), Hooks: Hooks, Consts: consts,
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(
		loader.Bounded{Counter: "map_full", Slot: 0, Map: "counts", What: "blocked times", Hint: "raise --stack-storage-size"},
		loader.Bounded{Counter: "map_full", Slot: 1, Map: stacks.StackMap, What: "stacks", Hint: "raise --stack-storage-size"},
		loader.Bounded{Counter: "map_full", Slot: 2, Map: "start", What: "blocked times"},
	)
	if err != nil {
		return err
	}
	// -p's tables load before anything is printed; others' in the
	// background as the walker meets them.
	tables := unwind.StartFor(ctx, unwinding, cfg.pid, obj.Map, inv.Name, inv.VerboseWriter())
	defer tables.Stop()
	start := time.Now()
	if !cfg.folded && !cfg.json && cfg.textOut() {
		fmt.Fprint(inv.Stdout, cfg.banner())
	}
	sym := syms.NewSymbolizer()
	stopPrime := stacks.Prime(ctx, obj.Map("counts"), stacks.KeySize, stacks.KeyPID, sym)
	defer stopPrime()
	return interval.Run(ctx, cfg.duration, 1, func(bool) error {
		end := time.Now()
		stopPrime()
		tables.Stop()
		counts, err := stacks.ReadCounts(obj.Map("counts"), false)
		if err != nil {
			return err
		}
		dropped, err := full.Take()
		if err != nil {
			return err
		}
		res := stacks.NewResolver(obj.Map(stacks.StackMap), sym)
		if unwinding {
			res.UserStacks = obj.Map(unwind.StackMap)
		}
		samples := make([]stacks.Sample, len(counts))
		for i, c := range counts {
			samples[i] = res.Resolve(c.Key, c.Value)
		}
		out := stacks.Output{
			Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
			Format: stacks.Format{Delimiter: cfg.delimiter},
			Text:   cfg.textOut(), Folded: cfg.folded, JSON: cfg.json, ValueName: "us",
			Pprof:     cfg.pprof,
			PprofMeta: stacks.PprofMeta{SampleType: "offcpu", Unit: "microseconds", Start: start, Duration: end.Sub(start)},
			SVG:       cfg.svg,
			Flame:     stacks.FlameOptions{Title: "Off-CPU time, " + end.Sub(start).Round(time.Second).String(), Unit: "us"},
		}
		if err := out.Write(samples, dropped); err != nil {
			return err
		}
		stacks.Report(inv.Stderr, inv.Name, dropped)
		return tables.Report(inv.Stderr, inv.VerboseWriter(), inv.Name)
	})
}
