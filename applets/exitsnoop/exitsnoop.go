package exitsnoop

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/exitsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is exitsnoop's registration.
var Applet = &applet.Applet{
	Name:    "exitsnoop",
	Summary: "Trace process termination (exit and fatal signals)",
	Flags: []applet.Flag{
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output (HH:MM:SS)"},
		{Short: "x", Long: "failed", Usage: "trace error exits only (non-zero code or a signal)"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "T", Long: "threaded", Usage: "trace by thread: every thread's exit, not only each process's"},
		{Long: "per-thread", Usage: "same as -T (bcc's name)"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"exitsnoop", "trace process exit events"},
		{"exitsnoop -t", "include timestamps"},
		{"exitsnoop -x", "trace error exits only"},
		{"exitsnoop -p 1216", "only trace PID 1216"},
		{"exitsnoop -T", "trace by thread"},
		{"exitsnoop -c CG", "trace processes under cgroup v2 path CG"},
		{"exitsnoop --json", "one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks are exitsnoop's ways into the kernel, best first; all three are the
// same sched_process_exit event, the program reads the current task.
var Hooks = []attach.Hook{{
	Name: "process exit",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "sched_process_exit", Program: "btf_sched_process_exit"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sched_process_exit", Program: "raw_sched_process_exit"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "sched", Target: "sched_process_exit", Program: "tp_sched_process_exit"}}},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadExitsnoop,
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
	p := newPrinter(cfg)
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
