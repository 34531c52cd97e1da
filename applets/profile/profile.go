package profile

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/profile"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/unwind"
)

func init() { applet.Register(Applet) }

// Applet is profile's registration.
var Applet = &applet.Applet{
	Name:    "profile",
	Needs:   []applet.Need{{Feature: "perf_events", For: "timed stack samples (cpu-clock perf events)"}},
	Summary: "Profile CPU usage by sampling stack traces at a timed interval",
	Args: []applet.Arg{
		{Name: "duration", Usage: "duration of the trace, in seconds (default: until Ctrl-C)"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "profile this process only"},
		{Short: "L", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "profile this thread only"},
		{Short: "U", Long: "user-stacks-only", Usage: "show stacks from user space only (no kernel space stacks)"},
		{Short: "K", Long: "kernel-stacks-only", Usage: "show stacks from kernel space only (no user space stacks)"},
		{Short: "F", Long: "frequency", Kind: applet.Int, Meta: "HZ", Default: "49", Usage: "sample frequency, Hertz"},
		{Short: "c", Long: "count", Kind: applet.Int, Meta: "COUNT", Usage: "sample period: every COUNT nanoseconds of CPU time (instead of -F)"},
		{Short: "d", Long: "delimited", Usage: "insert delimiter between kernel/user stacks"},
		{Short: "a", Long: "annotations", Usage: "add _[k] annotations to kernel frames"},
		{Short: "I", Long: "include-idle", Usage: "include CPU idle stacks"},
		{Short: "f", Long: "folded", Usage: "output folded format, one line per stack (for flame graphs)"},
		{Long: "stack-storage-size", Kind: applet.Int, Meta: "SIZE", Default: strconv.Itoa(defaultStorage), Usage: "the number of unique stack traces that can be stored and displayed"},
		{Short: "C", Long: "cpu", Kind: applet.Int, Meta: "CPU", Usage: "cpu number to run profile on"},
		{Long: "pprof", Kind: applet.String, Meta: "OUTFILE", Usage: "write a gzipped pprof profile (go tool pprof, Pyroscope) to FILE"},
		{Long: "svg", Kind: applet.String, Meta: "OUTFILE", Usage: "write an interactive flame graph (SVG, opens in a browser) to FILE"},
		{Long: "unwind", Kind: applet.String, Meta: "MODE", Default: unwind.ModeAuto, Usage: unwind.FlagUsage},
		{Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "profile processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"profile", "profile stack traces at 49 Hertz until Ctrl-C"},
		{"profile -F 99", "profile stack traces at 99 Hertz"},
		{"profile -c 1000000", "profile stack traces every 1 in a million events"},
		{"profile 5", "profile at 49 Hertz for 5 seconds only"},
		{"profile -f 5", "output in folded format for flame graphs"},
		{"profile -p 185", "only profile process with PID 185"},
		{"profile -L 185", "only profile thread with TID 185"},
		{"profile -U", "only show user space stacks (no kernel)"},
		{"profile -K", "only show kernel space stacks (no user)"},
		{"profile --svg cpu.svg 10", "write a flame graph of 10 seconds to cpu.svg"},
		{"profile --unwind=fp -p 185", "walk user stacks by frame pointers only, as bcc and libbpf-tools do"},
		{"profile --pprof cpu.pb.gz 30", "write a pprof profile of 30 seconds (go tool pprof -http=: cpu.pb.gz)"},
	},
	Run: run,
}

// spec sizes the counts and stack maps from --stack-storage-size; profile
// emits no events, so the shared event buffer is left out.
func spec(storage int, unwinding bool) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadProfile()
		if err != nil {
			return nil, err
		}
		delete(s.Maps, "events")
		delete(s.Maps, "lost_events")
		s.Maps["stack_traces"].MaxEntries = uint32(storage)
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
	unwinding, err := unwind.Decide(cfg.unwind, !cfg.kernelOnly, ebpf.PerfEvent, inv.VerboseWriter(), inv.Name)
	if err != nil {
		return err
	}
	consts := cfg.consts()
	for k, v := range unwind.Consts(unwinding) {
		consts[k] = v
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec(cfg.storage, unwinding), Consts: consts, Programs: []string{"do_sample"},
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(
		loader.Bounded{Counter: "map_full", Slot: 0, Map: "counts", What: "samples", Hint: "raise --stack-storage-size"},
		loader.Bounded{Counter: "map_full", Slot: 1, Map: stacks.StackMap, What: "stacks", Hint: "raise --stack-storage-size"},
	)
	if err != nil {
		return err
	}
	var cpus []int
	if cfg.cpu >= 0 {
		cpus = []int{cfg.cpu}
	}
	// The one process of -p gets its tables before sampling starts, so
	// its stacks are whole from the first sample; others' load in the
	// background as the walker meets them (their samples until then walk
	// frame pointers, counted).
	tables := unwind.StartFor(ctx, unwinding, cfg.pid, obj.Map, inv.Name, inv.VerboseWriter())
	defer tables.Stop()
	sampler, err := stacks.StartSampling(obj.Coll.Programs["do_sample"], uint64(cfg.freq), uint64(cfg.period), cpus)
	if err != nil {
		if cfg.cpu >= 0 {
			return applet.Usagef("-C %d: %v", cfg.cpu, err)
		}
		return fmt.Errorf("%w (sampling needs software perf events: CONFIG_PERF_EVENTS)", err)
	}
	defer sampler.Close()
	if v := inv.VerboseWriter(); v != nil {
		how := "kernel and user stacks from bpf_get_stackid"
		if unwinding {
			how = "kernel stacks from bpf_get_stackid, user stacks from the .eh_frame walker"
		}
		fmt.Fprintf(v, "%s: sampling with a cpu-clock perf event on each CPU (perf_event BPF program); %s\n", inv.Name, how)
	}
	start := time.Now()
	if !cfg.folded && !cfg.json && cfg.textOut() {
		fmt.Fprint(inv.Stdout, cfg.banner())
	}
	sym := syms.NewSymbolizer()
	stopPrime := stacks.Prime(ctx, obj.Map("counts"), stacks.KeySize, stacks.KeyPID, sym)
	defer stopPrime()
	return interval.Run(ctx, cfg.duration, 1, func(bool) error {
		sampler.Close() // what is printed is what was sampled until now
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
		res := stacks.NewResolver(obj.Map("stack_traces"), sym)
		if unwinding {
			res.UserStacks = obj.Map(unwind.StackMap)
		}
		samples := make([]stacks.Sample, len(counts))
		for i, c := range counts {
			samples[i] = res.Resolve(c.Key, c.Value)
		}
		out := cfg.output(inv, start, end)
		if err := out.Write(samples, dropped); err != nil {
			return err
		}
		stacks.Report(inv.Stderr, inv.Name, dropped)
		return tables.Report(inv.Stderr, inv.VerboseWriter(), inv.Name)
	})
}

// textOut: stacks go to stdout unless only files were asked for (-f
// still prints folded lines next to --svg or --pprof).
func (c *config) textOut() bool { return c.folded || c.json || (c.pprof == "" && c.svg == "") }

func (c *config) output(inv *applet.Invocation, start, end time.Time) stacks.Output {
	period := int64(0)
	if c.period > 0 {
		period = int64(c.period)
	} else {
		period = int64(time.Second) / int64(c.freq)
	}
	title := "CPU profile: " + strconv.Itoa(c.freq) + " Hz"
	if c.period > 0 {
		title = "CPU profile: every " + strconv.Itoa(c.period) + " ns"
	}
	return stacks.Output{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Format: stacks.Format{Delimiter: c.delimiter, Annotate: c.annotate},
		Text:   c.textOut(), Folded: c.folded, JSON: c.json, ValueName: "samples",
		Pprof: c.pprof,
		PprofMeta: stacks.PprofMeta{
			SampleType: "samples", Unit: "count", PeriodType: "cpu", PeriodUnit: "nanoseconds", Period: period,
			Start: start, Duration: end.Sub(start),
		},
		SVG:   c.svg,
		Flame: stacks.FlameOptions{Title: title + ", " + end.Sub(start).Round(time.Second).String(), Unit: "samples"},
	}
}
