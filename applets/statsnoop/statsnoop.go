package statsnoop

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/statsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is statsnoop's registration.
var Applet = &applet.Applet{
	Name:    "statsnoop",
	Summary: "Trace stat syscalls",
	Flags: []applet.Flag{
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output (seconds since the first event)"},
		{Short: "x", Long: "failed", Usage: "only show failed stats"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"statsnoop", "trace all stat syscalls"},
		{"statsnoop -t", "include timestamps"},
		{"statsnoop -x", "only show failed stats"},
		{"statsnoop -p 1216", "only trace PID 1216"},
		{"statsnoop --json", "one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

// syscalls are the stat family's tracepoints: statx and newfstatat exist
// on every architecture; arm64 has no stat() or lstat() syscalls at all.
var syscalls = []struct {
	name     string
	optional bool
}{{"statfs", false}, {"newstat", true}, {"statx", false}, {"newfstatat", false}, {"newlstat", true}}

// Hooks: the syscall tracepoints are the only way to see the user's path
// and the result together.
var Hooks = func() []attach.Hook {
	var at []attach.Attachment
	for _, s := range syscalls {
		at = append(at,
			attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_" + s.name, Program: "tp_enter_" + s.name, Optional: s.optional},
			attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_" + s.name, Program: "tp_exit_" + s.name, Optional: s.optional})
	}
	return []attach.Hook{{Name: "stat syscalls", Candidates: []attach.Candidate{{Attach: at}}}}
}()

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadStatsnoop,
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
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "inflight", What: "stat calls",
		Hint: "more threads were inside stat calls at once than the map holds"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose, Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
