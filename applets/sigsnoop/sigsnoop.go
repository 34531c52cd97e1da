package sigsnoop

import (
	"context"
	"fmt"

	bpfobj "github.com/probebox/probebox/bpfobj/sigsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

func flags(kill bool) []applet.Flag {
	f := []applet.Flag{
		{Short: "x", Long: "failed", Usage: "trace failed signals only"},
		{Short: "k", Long: "kill", Usage: "trace signals issued by the kill syscalls only (kill, tkill, tgkill)", Hidden: kill},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace signals sent by this process ID only"},
		{Short: "s", Long: "signal", Kind: applet.String, Meta: "SIGNAL", Usage: "signals to trace: numbers or names, comma-separated (9,USR1,SIGTERM)"},
		{Short: "n", Long: "name", Usage: "output signal name instead of signal number"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace senders in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	}
	return f
}

// Applet is sigsnoop's registration.
var Applet = &applet.Applet{
	Name:    "sigsnoop",
	Summary: "Trace standard and real-time signals",
	Flags:   flags(false),
	Examples: []applet.Example{
		{"sigsnoop", "trace signals system-wide"},
		{"sigsnoop -k", "trace signals issued by kill syscall only"},
		{"sigsnoop -x", "trace failed signals only"},
		{"sigsnoop -p 1216", "only trace PID 1216"},
		{"sigsnoop -s 1,9,15", "trace signal 1, 9, 15"},
		{"sigsnoop -n -s USR1", "trace SIGUSR1, print signal names"},
		{"sigsnoop --json", "one JSON object per line"},
	},
	Hooks: GenerateHooks,
	Run:   func(ctx context.Context, inv *applet.Invocation) error { return run(ctx, inv, false) },
}

// Killsnoop is killsnoop's registration (applets/killsnoop registers it):
// libbpf-tools' killsnoop is sigsnoop -k under another name.
var Killsnoop = &applet.Applet{
	Name:    "killsnoop",
	Summary: "Trace signals issued by the kill() syscalls",
	Flags:   flags(true),
	Examples: []applet.Example{
		{"killsnoop", "trace all kill syscalls"},
		{"killsnoop -x", "only show failed kills"},
		{"killsnoop -p 1216", "only trace PID 1216"},
		{"killsnoop -s 9", "only trace signal 9"},
		{"killsnoop --json", "one JSON object per line"},
	},
	Hooks: KillHooks,
	Run:   func(ctx context.Context, inv *applet.Invocation) error { return run(ctx, inv, true) },
}

// GenerateHooks see every signal the kernel generates, from any source
// (kill(), a fault, the kernel itself).
var GenerateHooks = []attach.Hook{{
	Name: "signal generation",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "signal_generate", Program: "btf_signal_generate"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "signal_generate", Program: "raw_signal_generate"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "signal", Target: "signal_generate", Program: "tp_signal_generate"}}},
	},
}}

// KillHooks see the kill-family syscalls with their results;
// signal_generate, firing inside them, adds the target's name.
var KillHooks = []attach.Hook{{
	Name: "kill syscalls",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_kill", Program: "tp_enter_kill"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_kill", Program: "tp_exit_kill"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_tkill", Program: "tp_enter_tkill"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_tkill", Program: "tp_exit_tkill"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_tgkill", Program: "tp_enter_tgkill"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_tgkill", Program: "tp_exit_tgkill"},
			{Kind: attach.Tracepoint, Group: "signal", Target: "signal_generate", Program: "tp_kill_target", Optional: true},
		}},
	},
}}

func run(ctx context.Context, inv *applet.Invocation, killsnoop bool) error {
	cfg, err := newConfig(inv, killsnoop)
	if err != nil {
		return err
	}
	hooks := GenerateHooks
	if cfg.kill {
		hooks = KillHooks
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadSigsnoop,
		Hooks:   hooks,
		Consts:  cfg.consts(),
		BTF:     cfg.btf,
		Cgroup:  cfg.cgroup,
		Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	var full *loader.MapFull
	if cfg.kill {
		if full, err = obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "inflight", What: "kill syscalls",
			Hint: "more threads were inside kill() at once than the map holds"}); err != nil {
			return err
		}
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
				return nil, fmt.Errorf("%s: %w", inv.Name, err)
			}
			return p.format(&ev), nil
		},
	})
}
