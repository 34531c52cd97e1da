package runqlen

import (
	"context"
	"fmt"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/runqlen"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is runqlen's registration.
var Applet = &applet.Applet{
	Name:    "runqlen",
	Needs:   []applet.Need{{Feature: "perf_events", For: "timed run-queue samples (cpu-clock perf events)"}},
	Summary: "Summarize scheduler run queue length as a histogram",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "C", Long: "cpus", Usage: "print output for each CPU separately"},
		{Short: "f", Long: "frequency", Kind: applet.Int, Meta: "FREQUENCY", Usage: fmt.Sprintf("sample with a certain frequency, %d-%d Hz", minFreq, maxFreq), Default: "99"},
		{Short: "O", Long: "runqocc", Usage: "report run queue occupancy"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"runqlen", "summarize run queue length as a histogram"},
		{"runqlen 1 10", "print 1 second summaries, 10 times"},
		{"runqlen -T 1", "1s summaries and timestamps"},
		{"runqlen -O", "report run queue occupancy"},
		{"runqlen -C", "show each CPU separately"},
		{"runqlen -f 199", "sample at 199 Hz"},
	},
	Run: run,
}

// runqlen's one hook is a cpu-clock perf event on every CPU, opened by
// the tool itself (attach has no perf-event kind); -v says so.
const sampleProgram = "sample_rq"

func spec(ncpu int) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadRunqlen()
		if err != nil {
			return nil, err
		}
		if m, ok := s.Maps["hists"]; ok {
			m.MaxEntries = uint32(ncpu)
		}
		return s, nil
	}
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	ncpu, err := ebpf.PossibleCPU()
	if err != nil {
		return fmt.Errorf("counting CPUs: %w", err)
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec(ncpu), Programs: []string{sampleProgram},
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	sampler, err := stacks.StartSampling(obj.Coll.Programs[sampleProgram], uint64(cfg.freq), 0, nil)
	if err != nil {
		return fmt.Errorf("%w (runqlen samples with perf events: needs CONFIG_PERF_EVENTS and perf_event programs)", err)
	}
	defer sampler.Close()
	if v := inv.VerboseWriter(); v != nil {
		fmt.Fprintf(v, "%s: sampling: perf_event cpu-clock at %d Hz on every CPU; run queue length from the current task's rq->nr_running (kernel BTF)\n", inv.Name, cfg.freq)
	}
	hists := obj.Map("hists")
	var prev [][]uint64
	p := newPrinter(cfg)
	return summary.Run(ctx, summary.Options[cpuHist]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Sampling run queue length... Hit Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: &loader.MapFull{},
		Drain: func() ([]cpuHist, error) {
			cur, err := readHists(hists, ncpu)
			if err != nil {
				return nil, err
			}
			out := deltas(cur, prev)
			prev = cur
			return out, nil
		},
		Write: p.summary,
	})
}
