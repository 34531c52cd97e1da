package dcsnoop

import (
	"context"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/dcsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is dcsnoop's registration.
var Applet = &applet.Applet{
	Name:    "dcsnoop",
	Summary: "Trace directory entry cache (dcache) lookups",
	Flags: []applet.Flag{
		{Short: "a", Long: "trace-all", Usage: "trace all lookups (default is fails only)"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "duration to trace, in seconds"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace process ID only"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "trace thread ID only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"dcsnoop", "trace failed dcache lookups"},
		{"dcsnoop -a", "trace all dcache lookups"},
		{"dcsnoop -T", "include timestamp on output"},
		{"dcsnoop -d 10", "10s to trace"},
		{"dcsnoop -p 188", "trace pid 188 only"},
		{"dcsnoop -t 188", "trace tid 188 only"},
	},
	Hooks: Hooks,
	Run:   run,
}

// missHook: d_lookup returning nothing. There is no tracepoint in the
// dcache: fexit, else a kprobe and kretprobe pair.
var missHook = attach.Hook{
	Name: "dcache misses",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fexit, Target: "d_lookup", Program: "fexit_d_lookup"}}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "d_lookup", Program: "kprobe_d_lookup"},
			{Kind: attach.Kretprobe, Target: "d_lookup", Program: "kretprobe_d_lookup"},
		}},
	},
}

// referenceHook (-a): every lookup_fast of a path walk (a static
// function, found under a compiler-renamed name too).
var referenceHook = attach.Hook{
	Name: "dcache references (-a)",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "lookup_fast", Program: "fentry_lookup_fast"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "lookup_fast", Program: "kprobe_lookup_fast"}}},
	},
}

// Hooks are all of dcsnoop's hooks; a run without -a uses missHook only.
var Hooks = []attach.Hook{missHook, referenceHook}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	hooks := []attach.Hook{missHook}
	if cfg.all {
		hooks = Hooks
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadDcsnoop, Hooks: hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "names", What: "d_lookup calls"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg, monotonicNow())
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose, Full: full,
		Duration: time.Duration(cfg.duration) * time.Second,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev, time.Now()), nil
		},
	})
}
