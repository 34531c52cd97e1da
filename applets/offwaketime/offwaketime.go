package offwaketime

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/offwaketime"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/syms"
)

func init() { applet.Register(Applet) }

// Applet is offwaketime's registration.
var Applet = &applet.Applet{
	Name:    "offwaketime",
	Summary: "Summarize blocked time by kernel off-CPU stack and waker stack",
	Args:    []applet.Arg{{Name: "duration", Usage: "duration of the trace, in seconds (default: until Ctrl-C)"}},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace these PIDs only (the blocked process)"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "trace this TID only"},
		{Short: "u", Long: "user-threads-only", Usage: "user threads only (no kernel threads)"},
		{Short: "k", Long: "kernel-threads-only", Usage: "kernel threads only (no user threads)"},
		{Short: "U", Long: "user-stacks-only", Usage: "show stacks from user space only (no kernel space stacks)"},
		{Short: "K", Long: "kernel-stacks-only", Usage: "show stacks from kernel space only (no user space stacks)"},
		{Short: "d", Long: "delimited", Usage: "insert delimiter between kernel/user stacks"},
		{Short: "f", Long: "folded", Usage: "output folded format"},
		{Short: "m", Long: "min-block-time", Kind: applet.Int, Meta: "MIN-BLOCK-TIME", Default: "1", Usage: "the amount of time in microseconds over which we store traces"},
		{Short: "M", Long: "max-block-time", Kind: applet.Int, Meta: "MAX-BLOCK-TIME", Usage: "the amount of time in microseconds under which we store traces (default U64_MAX)"},
		{Long: "stack-storage-size", Kind: applet.Int, Meta: "SIZE", Default: "16384", Usage: "the number of unique stack traces that can be stored and displayed"},
		{Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "count wakeups by threads in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"offwaketime", "trace off-CPU + waker stack time until Ctrl-C"},
		{"offwaketime 5", "trace for 5 seconds only"},
		{"offwaketime -f 5", "5 seconds, and output in folded format"},
		{"offwaketime -m 1000", "trace only events that last more than 1000 usec"},
		{"offwaketime -M 10000", "trace only events that last less than 10000 usec"},
		{"offwaketime -p 185", "only trace threads for PID 185"},
		{"offwaketime -t 188", "only trace thread 188"},
		{"offwaketime -u", "only trace user threads (no kernel)"},
		{"offwaketime -k", "only trace kernel threads (no user)"},
		{"offwaketime -U", "only show user space stacks (no kernel)"},
		{"offwaketime -K", "only show kernel space stacks (no user)"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: sched_switch (a thread blocks, and comes back) and sched_waking
// (its waker), best first.
var Hooks = []attach.Hook{{
	Name: "block and wakeup",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.TPBTF, Target: "sched_switch", Program: "btf_sched_switch"},
			{Kind: attach.TPBTF, Target: "sched_waking", Program: "btf_sched_waking"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.RawTracepoint, Target: "sched_switch", Program: "raw_sched_switch"},
			{Kind: attach.RawTracepoint, Target: "sched_waking", Program: "raw_sched_waking"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "sched", Target: "sched_switch", Program: "tp_sched_switch"},
			{Kind: attach.Tracepoint, Group: "sched", Target: "sched_waking", Program: "tp_sched_waking"},
		}},
	},
}}

// Layout of struct offwaketime_key (bpfobj/offwaketime/offwaketime.h).
const keySize = 56

func decode(b []byte) (waker, target stacks.Key) {
	u32 := func(off int) uint32 { return binary.NativeEndian.Uint32(b[off:]) }
	waker = stacks.Key{PID: u32(0), UserID: int32(u32(8)), KernelID: int32(u32(12)), Comm: stacks.CString(b[24:40])}
	target = stacks.Key{PID: u32(4), UserID: int32(u32(16)), KernelID: int32(u32(20)), Comm: stacks.CString(b[40:56])}
	return waker, target
}

type config struct {
	pid, tid, storage                       int
	userThreads, kernelThreads              bool
	userOnly, kernelOnly, delimited, folded bool
	json                                    bool
	minUS, maxUS                            uint64
	cgroup, btf                             string
	duration                                time.Duration
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{pid: inv.Int("pid"), storage: inv.Int("stack-storage-size"),
		userOnly: inv.Bool("user-stacks-only"), kernelOnly: inv.Bool("kernel-stacks-only"),
		delimited: inv.Bool("delimited"), folded: inv.Bool("folded"), json: inv.Bool("json"),
		minUS: uint64(inv.Int("min-block-time")), maxUS: ^uint64(0), cgroup: inv.String("cgroup"), btf: inv.String("btf")}
	if inv.IsSet("pid") && c.pid <= 0 {
		return nil, applet.Usagef("invalid PID %d for -p: must be a positive PID", c.pid)
	}
	c.tid, c.userThreads, c.kernelThreads = inv.Int("tid"), inv.Bool("user-threads-only"), inv.Bool("kernel-threads-only")
	if inv.IsSet("tid") && c.tid <= 0 {
		return nil, applet.Usagef("invalid TID %d for -t: must be a positive thread ID", c.tid)
	}
	if c.userThreads && c.kernelThreads {
		return nil, applet.Usagef("-u and -k cannot be used together")
	}
	if c.userOnly && c.kernelOnly {
		return nil, applet.Usagef("-U and -K cannot be used together")
	}
	if inv.IsSet("max-block-time") {
		c.maxUS = uint64(inv.Int("max-block-time"))
	}
	if c.minUS > c.maxUS {
		return nil, applet.Usagef("-m %d is more than -M %d: nothing would be counted", c.minUS, c.maxUS)
	}
	if c.storage < 1 || c.storage > 1<<20 {
		return nil, applet.Usagef("invalid --stack-storage-size %d: must be between 1 and %d", c.storage, 1<<20)
	}
	if c.json && c.folded {
		return nil, applet.Usagef("--json and -f cannot be used together")
	}
	var err error
	if c.duration, err = durationArg(inv.Args); err != nil {
		return nil, err
	}
	return c, nil
}

func durationArg(args []string) (time.Duration, error) {
	if len(args) > 1 {
		return 0, applet.Usagef("too many arguments: want at most a duration")
	}
	if len(args) == 0 {
		return 0, nil
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n <= 0 || n > 1<<31-1 {
		return 0, applet.Usagef("invalid duration %q: want a positive number of seconds", args[0])
	}
	return time.Duration(n) * time.Second, nil
}

func spec(storage int) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadOffwaketime()
		if err != nil {
			return nil, err
		}
		delete(s.Maps, "events")
		delete(s.Maps, "lost_events")
		s.Maps[stacks.StackMap].MaxEntries = uint32(storage)
		s.Maps["counts"].MaxEntries = uint32(storage)
		return s, nil
	}
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec(cfg.storage), Hooks: Hooks,
		Consts: map[string]any{"filter_tgid": uint32(cfg.pid), "filter_tid": uint32(cfg.tid),
			"user_threads_only": cfg.userThreads, "kernel_threads_only": cfg.kernelThreads, "user_stacks": !cfg.kernelOnly, "kernel_stacks": !cfg.userOnly,
			"min_us": cfg.minUS, "max_us": cfg.maxUS},
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
		loader.Bounded{Counter: "map_full", Slot: 3, Map: "wokeby", What: "wakers"},
	)
	if err != nil {
		return err
	}
	if !cfg.folded && !cfg.json {
		what := "all threads"
		if cfg.pid > 0 {
			what = "PID " + strconv.Itoa(cfg.pid)
		}
		end := "... Hit Ctrl-C to end."
		if cfg.duration > 0 {
			end = " for " + strconv.Itoa(int(cfg.duration/time.Second)) + " secs."
		}
		fmt.Fprintf(inv.Stdout, "Tracing blocked time (us) of %s by off-CPU and waker stack%s\n", what, end)
	}
	if v := inv.VerboseWriter(); v != nil {
		fmt.Fprintf(v, "%s: tracing; hit Ctrl-C to end\n", inv.Name)
	}
	sym := syms.NewSymbolizer()
	stopPrime := stacks.Prime(ctx, obj.Map("counts"), keySize, func(k []byte) []uint32 {
		w, t := decode(k)
		return []uint32{w.PID, t.PID}
	}, sym)
	defer stopPrime()
	return interval.Run(ctx, cfg.duration, 1, func(bool) error {
		stopPrime()
		counts, err := stacks.ReadRaw(obj.Map("counts"), keySize)
		if err != nil {
			return err
		}
		dropped, err := full.Take()
		if err != nil {
			return err
		}
		res := stacks.NewResolver(obj.Map(stacks.StackMap), sym)
		ws := make([]stacks.Wakeup, len(counts))
		for i, c := range counts {
			wk, tk := decode(c.Key)
			ws[i] = stacks.Wakeup{Waker: res.Resolve(wk, 0), Target: res.Resolve(tk, 0), Value: c.Value, NoWaker: wk.Comm == ""}
		}
		var b bytes.Buffer
		stacks.WakeupOutput{Format: stacks.Format{Delimiter: cfg.delimited}, Folded: cfg.folded, JSON: cfg.json, Joined: true}.Write(&b, ws, dropped)
		if _, err := inv.Stdout.Write(b.Bytes()); err != nil {
			return err
		}
		stacks.Report(inv.Stderr, inv.Name, dropped)
		return nil
	})
}
