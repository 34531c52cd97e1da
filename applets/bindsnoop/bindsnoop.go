package bindsnoop

import (
	"context"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/bindsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is bindsnoop's registration.
var Applet = &applet.Applet{
	Name:    "bindsnoop",
	Summary: "Trace bind syscalls",
	Flags: []applet.Flag{
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "x", Long: "failed", Usage: "include errors on output"},
		{Short: "E", Long: "errors", Usage: "include errors on output (bcc's spelling of -x)"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "P", Long: "ports", Kind: applet.String, Meta: "PORTS", Usage: "comma-separated list of ports to trace"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"bindsnoop", "trace all bind syscall"},
		{"bindsnoop -t", "include timestamps"},
		{"bindsnoop -x", "include errors on output"},
		{"bindsnoop -p 1216", "only trace PID 1216"},
		{"bindsnoop -c CG", "trace process under cgroupsPath CG"},
		{"bindsnoop -P 80,81", "only trace port 80 and 81"},
	},
	Hooks: Hooks,
	Run:   run,
}

const syscallLimit = "bind() system calls only (not sockets the kernel binds itself)"

// Hooks: the return of inet_bind / inet6_bind, else the bind syscall.
var Hooks = []attach.Hook{{
	Name: "bind",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Fexit, Target: "inet_bind", Program: "fexit_bind"},
			{Kind: attach.Fexit, Target: "inet6_bind", Program: "fexit_bind6", Optional: true},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "inet_bind", Program: "kprobe_bind"},
			{Kind: attach.Kretprobe, Target: "inet_bind", Program: "kretprobe_bind"},
			{Kind: attach.Kprobe, Target: "inet6_bind", Program: "kprobe_bind6", Optional: true},
			{Kind: attach.Kretprobe, Target: "inet6_bind", Program: "kretprobe_bind6", Optional: true},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_bind", Program: "tp_enter_bind"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_bind", Program: "tp_exit_bind"},
		}, Limits: syscallLimit},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadBindsnoop, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "pending", What: "bind calls"})
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
