package solisten

import (
	"context"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/solisten"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is solisten's registration.
var Applet = &applet.Applet{
	Name:    "solisten",
	Summary: "Trace IPv4 and IPv6 listen syscalls",
	Flags: []applet.Flag{
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"solisten", "trace listen syscalls"},
		{"solisten -t", "output with timestamp"},
		{"solisten -p 1216", "only trace PID 1216"},
	},
	Hooks: Hooks,
	Run:   run,
}

const syscallLimit = "listen() system calls only (not sockets the kernel opens); BACKLOG as passed, before the net.core.somaxconn cap"

// Hooks: inet_listen's return, else the listen syscall around it.
var Hooks = []attach.Hook{{
	Name: "listen",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fexit, Target: "inet_listen", Program: "fexit_listen"}}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "inet_listen", Program: "kprobe_listen"},
			{Kind: attach.Kretprobe, Target: "inet_listen", Program: "kretprobe_listen"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_listen", Program: "tp_enter_listen"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_listen", Program: "tp_exit_listen"},
		}, Limits: syscallLimit},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadSolisten, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "pending", What: "listen calls"})
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
			return p.format(&ev, time.Now()), nil
		},
	})
}
