package stackcount

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	bpfobj "github.com/probebox/probebox/bpfobj/stackcount"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/unwind"
	"github.com/probebox/probebox/internal/funcs"
)

func init() { applet.Register(Applet) }

// Applet is stackcount's registration.
var Applet = &applet.Applet{
	Name:     "stackcount",
	Needs:    funcs.Needs,
	NeedsAny: true,
	Summary:  "Count events and their stack traces",
	Args: []applet.Arg{
		{Name: "pattern", Usage: "search expression for events: func, t:group:event, lib:func, p:/path:func, u:/path:func (wildcards * and ?)"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "c", Long: "cpu", Kind: applet.Int, Meta: "CPU", Usage: "trace this CPU only"},
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "summary interval, seconds"},
		{Short: "D", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace, seconds"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "r", Long: "regexp", Usage: "use regular expressions. Default is \"*\" wildcards only."},
		{Short: "s", Long: "offset", Usage: "show address offsets"},
		{Short: "P", Long: "perpid", Usage: "display stacks separately for each process"},
		{Short: "K", Long: "kernel-stacks-only", Usage: "kernel stack only"},
		{Short: "U", Long: "user-stacks-only", Usage: "user stack only"},
		{Short: "v", Long: "verbose", Usage: "show raw addresses (and, on stderr, the probes attached)"},
		{Short: "d", Long: "delimited", Usage: "insert delimiter between kernel/user stacks"},
		{Short: "f", Long: "folded", Usage: "output folded format"},
		{Long: "stack-storage-size", Kind: applet.Int, Meta: "SIZE", Default: "16384", Usage: "the number of unique stack traces that can be stored and displayed"},
		{Long: "unwind", Kind: applet.String, Meta: "MODE", Default: unwind.ModeAuto, Usage: unwind.FlagUsage},
		applet.JSONFlag,
		applet.BTFFlag,
	},
	Examples: []applet.Example{
		{"stackcount submit_bio", "count kernel stack traces for submit_bio"},
		{"stackcount -d ip_output", "include a user/kernel stack delimiter"},
		{"stackcount -s ip_output", "show symbol offsets"},
		{"stackcount -sv ip_output", "show offsets and raw addresses (verbose)"},
		{"stackcount 'tcp_send*'", "count stacks for funcs matching tcp_send*"},
		{"stackcount -r '^tcp_send.*'", "same as above, using regular expressions"},
		{"stackcount -Ti 5 ip_output", "output every 5 seconds, with timestamps"},
		{"stackcount -p 185 ip_output", "count ip_output stacks for PID 185 only"},
		{"stackcount -c 1 put_prev_entity", "count put_prev_entity stacks for CPU 1 only"},
		{"stackcount -p 185 c:malloc", "count stacks for malloc in PID 185"},
		{"stackcount t:sched:sched_fork", "count stacks for the sched_fork tracepoint"},
		{"stackcount -p 185 u:node:*", "count stacks for all functions of node in PID 185"},
		{"stackcount -K t:sched:sched_switch", "kernel stacks only"},
		{"stackcount -U t:sched:sched_switch", "user stacks only"},
		{"stackcount -P t:sched:sched_process_exec", "stacks per process"},
		{"stackcount --unwind=fp -p 185 c:malloc", "walk user stacks by frame pointers only, as bcc does"},
	},
	Run: run,
}

type config struct {
	pattern                      string
	spec                         funcs.Spec
	pid, cpu, storage            int
	every, duration              time.Duration
	timestamp, regexp, offset    bool
	perPID, kernelOnly, userOnly bool
	verbose, delimited, folded   bool
	json                         bool
	btf                          string
	unwind                       string // --unwind: fp, eh_frame or auto
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{
		pid: inv.Int("pid"), cpu: -1, storage: inv.Int("stack-storage-size"),
		timestamp: inv.Bool("timestamp"), regexp: inv.Bool("regexp"), offset: inv.Bool("offset"),
		perPID: inv.Bool("perpid"), kernelOnly: inv.Bool("kernel-stacks-only"), userOnly: inv.Bool("user-stacks-only"),
		verbose: inv.Bool("verbose"), delimited: inv.Bool("delimited"), folded: inv.Bool("folded"), json: inv.Bool("json"),
		btf: inv.String("btf"), unwind: inv.String("unwind"),
	}
	if len(inv.Args) != 1 {
		return nil, applet.Usagef("want one pattern (e.g. t:sched:sched_switch, c:malloc, submit_bio)")
	}
	var err error
	c.pattern = inv.Args[0]
	if c.spec, err = funcs.Parse(c.pattern, c.regexp); err != nil {
		return nil, err
	}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	}
	if inv.IsSet("cpu") {
		c.cpu = inv.Int("cpu")
	}
	if inv.IsSet("interval") {
		if n := inv.Int("interval"); n <= 0 {
			return nil, applet.Usagef("invalid interval %d for -i: want a positive number of seconds", n)
		} else {
			c.every = time.Duration(n) * time.Second
		}
	}
	if inv.IsSet("duration") {
		if n := inv.Int("duration"); n <= 0 {
			return nil, applet.Usagef("invalid duration %d for -D: want a positive number of seconds", n)
		} else {
			c.duration = time.Duration(n) * time.Second
		}
	}
	if c.kernelOnly && c.userOnly {
		return nil, applet.Usagef("-K and -U cannot be used together")
	}
	if c.storage < 1 || c.storage > 1<<20 {
		return nil, applet.Usagef("invalid --stack-storage-size %d: must be between 1 and %d", c.storage, 1<<20)
	}
	if !unwind.ValidMode(c.unwind) {
		return nil, applet.Usagef("invalid --unwind %q: want fp, eh_frame or auto", c.unwind)
	}
	if c.json && c.folded {
		return nil, applet.Usagef("--json and -f cannot be used together")
	}
	return c, nil
}

func spec(storage int, unwinding bool) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadStackcount()
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
	targets, err := resolve(cfg)
	if err != nil {
		return err
	}
	prog := map[funcs.Kind]string{funcs.Tracepoint: "on_tracepoint", funcs.User: "on_uprobe", funcs.Kernel: "on_kprobe"}[cfg.spec.Kind]
	progType := ebpf.Kprobe // uprobes too
	if cfg.spec.Kind == funcs.Tracepoint {
		progType = ebpf.TracePoint
	}
	unwinding, err := unwind.Decide(cfg.unwind, !cfg.kernelOnly, progType, inv.VerboseWriter(), inv.Name)
	if err != nil {
		return err
	}
	consts := map[string]any{
		"filter_tgid": uint32(cfg.pid), "filter_cpu": int32(cfg.cpu),
		"user_stacks": !cfg.kernelOnly, "kernel_stacks": !cfg.userOnly,
	}
	for k, v := range unwind.Consts(unwinding) {
		consts[k] = v
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec(cfg.storage, unwinding), Programs: []string{prog},
		Consts: consts, BTF: cfg.btf,
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	// -p's tables load before the probes are attached; others' in the background
	// as the walker meets them (their stacks until then walk frame
	// pointers, counted).
	tables := unwind.StartFor(ctx, unwinding, cfg.pid, obj.Map, inv.Name, inv.VerboseWriter())
	defer tables.Stop()
	links, err := attachAll(obj.Coll.Programs[prog], targets, cfg.pid)
	defer func() {
		for _, l := range links {
			l.Close()
		}
	}()
	if err != nil {
		return err
	}
	if cfg.verbose {
		for _, t := range targets {
			fmt.Fprintf(inv.Stderr, "%s: attached %s %s\n", inv.Name, funcs.KindName(t.Kind), output.Escape(t.Show))
		}
	}
	full, err := obj.MapFull(
		loader.Bounded{Counter: "map_full", Slot: 0, Map: "counts", What: "events", Hint: "raise --stack-storage-size"},
		loader.Bounded{Counter: "map_full", Slot: 1, Map: stacks.StackMap, What: "stacks", Hint: "raise --stack-storage-size"},
	)
	if err != nil {
		return err
	}
	if !cfg.folded && !cfg.json {
		fmt.Fprintf(inv.Stdout, "Tracing %d functions for \"%s\"... Hit Ctrl-C to end.\n", len(targets), output.Escape(cfg.pattern))
	}
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	sym := syms.NewSymbolizer()
	p := &printer{cfg: cfg, inv: inv}
	return interval.Run(ctx, cfg.every, 0, func(final bool) error {
		if final {
			tables.Stop()
		}
		counts, err := stacks.ReadCounts(obj.Map("counts"), cfg.every > 0)
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
		if cfg.every > 0 {
			if err := stacks.Clear(obj.Map(stacks.StackMap)); err != nil {
				return err
			}
			if unwinding {
				if err := stacks.Clear(obj.Map(unwind.StackMap)); err != nil {
					return err
				}
			}
			sym.Forget()
		}
		if err := p.write(samples, dropped); err != nil {
			return err
		}
		stacks.Report(inv.Stderr, inv.Name, dropped)
		if !final {
			return nil
		}
		return tables.Report(inv.Stderr, inv.VerboseWriter(), inv.Name)
	})
}

// resolve turns the pattern into targets, or says why this kernel cannot
// (kernel functions are counted with kprobes only).
func resolve(cfg *config) ([]funcs.Target, error) {
	if cfg.spec.Kind == funcs.Kernel {
		if err := attach.Running.Supports(attach.Kprobe); err != nil {
			return nil, fmt.Errorf("kernel function %q needs kprobes: %v; count a tracepoint instead (stackcount t:GROUP:EVENT; tplist lists them)", cfg.spec.Func, err)
		}
	}
	return funcs.Resolve(cfg.spec, cfg.pid)
}

func attachAll(prog *ebpf.Program, targets []funcs.Target, pid int) ([]link.Link, error) {
	if prog == nil {
		return nil, fmt.Errorf("internal: stackcount program not loaded")
	}
	var links []link.Link
	for _, t := range targets {
		l, err := funcs.Entry(t, prog, 0, pid)
		if err != nil {
			return links, fmt.Errorf("attaching %s %s: %w", funcs.KindName(t.Kind), t.Show, err)
		}
		links = append(links, l)
	}
	return links, nil
}

// printer writes one summary in bcc's stackcount layout, folded, or JSON.
type printer struct {
	cfg *config
	inv *applet.Invocation
}

func (p *printer) write(samples []stacks.Sample, dropped []loader.Dropped) error {
	ff := syms.FrameFormat{Offset: p.cfg.offset, Address: p.cfg.verbose}
	for i := range samples {
		if !p.cfg.perPID {
			// Without -P, the same stacks of every process are one entry
			// (folded lines keep the process name, as bcc's do).
			samples[i].PID, samples[i].TID = 0, 0
			if !p.cfg.folded {
				samples[i].Comm = ""
			}
		}
	}
	var b bytes.Buffer
	if p.cfg.timestamp && !p.cfg.json {
		b.WriteString(time.Now().Format("15:04:05") + "\n")
	}
	if p.cfg.folded || p.cfg.json {
		p.inv.Stdout.Write(b.Bytes())
		out := stacks.Output{Tool: p.inv.Name, Stdout: p.inv.Stdout, Stderr: p.inv.Stderr,
			Format: stacks.Format{Delimiter: p.cfg.delimited, Frame: ff}, Text: true, Folded: p.cfg.folded, JSON: p.cfg.json, ValueName: "count"}
		return out.Write(samples, dropped)
	}
	f := stacks.Format{Frame: ff}
	merged := f.Merge(samples)
	stacks.SortAscending(merged)
	for _, s := range merged {
		writeFrames := func(fs []syms.Frame) {
			for _, fr := range fs {
				b.WriteString("  ")
				b.Write(output.AppendEscaped(nil, []byte(fr.Format(ff))))
				b.WriteByte('\n')
			}
		}
		if !s.NoKernel {
			if s.KernelMissed {
				b.WriteString("  " + stacks.MissedKernel + "\n")
			}
			writeFrames(s.Kernel)
		}
		if !s.NoUser {
			if p.cfg.delimited && !s.NoKernel {
				b.WriteString("    --\n")
			}
			if s.UserMissed {
				b.WriteString("  " + stacks.MissedUser + "\n")
			}
			writeFrames(s.User)
		}
		if p.cfg.perPID {
			b.WriteString("    ")
			b.Write(output.AppendEscaped(nil, []byte(s.Comm)))
			b.WriteString(" [" + strconv.FormatUint(uint64(s.PID), 10) + "]\n")
		}
		b.WriteString("    " + strconv.FormatUint(s.Value, 10) + "\n\n")
	}
	_, err := p.inv.Stdout.Write(b.Bytes())
	return err
}
