package sofdsnoop

import (
	"context"
	"fmt"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/sofdsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is sofdsnoop's registration.
var Applet = &applet.Applet{
	Name:    "sofdsnoop",
	Summary: "Trace file descriptors passed through unix sockets",
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "trace this TID only"},
		{Short: "n", Long: "name", Kind: applet.String, Meta: "NAME", Usage: "only print process names containing this name"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace in seconds"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"sofdsnoop", "trace passed file descriptors"},
		{"sofdsnoop -T", "include timestamps"},
		{"sofdsnoop -p 181", "only trace PID 181"},
		{"sofdsnoop -t 123", "only trace TID 123"},
		{"sofdsnoop -d 10", "trace for 10 seconds only"},
		{"sofdsnoop -n main", "only print process names containing \"main\""},
	},
	Hooks: Hooks,
	Run:   run,
}

const syscallLimit = "sendmsg() and recvmsg() system calls of 64-bit processes: descriptors passed with sendmmsg/recvmmsg or io_uring are not seen; at most 32 per control message and 4 control messages per call"

// Hooks: the sendmsg and recvmsg system calls, whose exits read the
// control messages the caller passed or received.
var Hooks = []attach.Hook{{
	Name: "sendmsg and recvmsg",
	Candidates: []attach.Candidate{{
		Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_sendmsg", Program: "tp_enter_sendmsg"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_sendmsg", Program: "tp_exit_sendmsg"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_recvmsg", Program: "tp_enter_recvmsg"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_recvmsg", Program: "tp_exit_recvmsg"},
		},
		Limits: syscallLimit,
	}},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadSofdsnoop, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "pending", What: "sendmsg/recvmsg calls"})
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
			if ev.index == maxFDs-1 && ev.total > maxFDs {
				fmt.Fprintf(inv.Stderr, "%s: %d more descriptors of one message of PID %d not shown (at most %d per message)\n", inv.Name, ev.total-maxFDs, ev.pid, maxFDs)
			}
			ev.resolve(procRoot)
			return p.format(&ev, time.Now()), nil
		},
	})
}
