// Package opensnoop traces open(), openat() and openat2(): who opened
// which path, with what result.
//
// --json fields: timestamp_ns (CLOCK_MONOTONIC), time (with -T), pid, tid,
// uid, comm, fd (-1 on failure), err (errno, 0 on success), flags and mode
// (numbers), path.
package opensnoop

import (
	"context"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/opensnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is opensnoop's registration.
var Applet = &applet.Applet{
	Name:    "opensnoop",
	Summary: "Trace open family syscalls",
	Flags: []applet.Flag{
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "duration to trace, in seconds"},
		{Short: "e", Long: "extended-fields", Usage: "print extended fields (FLAGS, MODE)"},
		{Short: "F", Long: "full-path", Usage: "show the full path of files opened with a relative path"},
		{Short: "n", Long: "name", Kind: applet.String, Meta: "NAME", Usage: "trace process names containing NAME (in the kernel)"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "thread ID to trace"},
		{Short: "T", Long: "timestamp", Usage: "print timestamp"},
		{Short: "u", Long: "uid", Kind: applet.Int, Meta: "UID", Usage: "user ID to trace", Default: "-1"},
		{Short: "U", Long: "print-uid", Usage: "print UID"},
		{Short: "x", Long: "failed", Usage: "failed opens only"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"opensnoop", "trace all open() syscalls"},
		{"opensnoop -T", "include timestamps"},
		{"opensnoop -U", "include UID"},
		{"opensnoop -x", "only show failed opens"},
		{"opensnoop -p 181", "only trace PID 181"},
		{"opensnoop -t 123", "only trace TID 123"},
		{"opensnoop -u 1000", "only trace UID 1000"},
		{"opensnoop -d 10", "trace for 10 seconds only"},
		{"opensnoop -n main", "only print process names containing \"main\""},
		{"opensnoop -e", "show extended fields"},
		{"opensnoop -F", "show full paths of relative opens"},
		{"opensnoop -c CG", "trace processes under cgroup v2 path CG"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the open-family syscall tracepoints, each where it exists (open
// is missing on arm64, openat2 before 5.6).
var Hooks = []attach.Hook{{
	Name: "open",
	Candidates: []attach.Candidate{{Attach: []attach.Attachment{
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_open", Program: "tp_enter_open", Optional: true},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_open", Program: "tp_exit_open", Optional: true},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_openat", Program: "tp_enter_openat"},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_openat", Program: "tp_exit_openat"},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_openat2", Program: "tp_enter_openat2", Optional: true},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_openat2", Program: "tp_exit_openat2", Optional: true},
	}}},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadOpensnoop, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
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
		Header: header, Verbose: cfg.verbose, Duration: time.Duration(cfg.duration) * time.Second,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
