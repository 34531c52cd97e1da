// Package execsnoop traces exec() calls: who ran what, with which
// arguments, and whether it worked.
package execsnoop

import (
	"context"
	"fmt"

	bpfobj "github.com/probebox/probebox/bpfobj/execsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is execsnoop's registration.
var Applet = &applet.Applet{
	Name:    "execsnoop",
	Summary: "Trace exec() syscalls",
	Flags: []applet.Flag{
		{Short: "T", Long: "time", Usage: "include time column on output (HH:MM:SS)"},
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output (seconds since start)"},
		{Short: "x", Long: "fails", Usage: "include failed exec()s"},
		{Short: "u", Long: "uid", Kind: applet.Int, Meta: "UID", Usage: "trace this UID only", Default: "-1"},
		{Short: "q", Long: "quote", Usage: "add quotemarks (\") around arguments"},
		{Short: "n", Long: "name", Kind: applet.String, Meta: "NAME", Usage: "only print commands whose name contains NAME (in the kernel)"},
		{Short: "l", Long: "line", Kind: applet.String, Meta: "LINE", Usage: "only print commands whose arguments contain LINE"},
		{Short: "U", Long: "print-uid", Usage: "print UID column"},
		{Long: "max-args", Kind: applet.Int, Meta: "MAX_ARGS", Usage: "maximum number of arguments parsed and displayed, 1-60", Default: "20"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		{Short: "P", Long: "ppid", Kind: applet.Int, Meta: "PPID", Usage: "trace only children of this parent PID"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"execsnoop", "trace all exec() syscalls"},
		{"execsnoop -x", "include failed exec()s"},
		{"execsnoop -T", "include time (HH:MM:SS)"},
		{"execsnoop -U", "include UID"},
		{"execsnoop -u 1000", "only trace UID 1000"},
		{"execsnoop -t", "include timestamps"},
		{"execsnoop -q", "add \"quotemarks\" around arguments"},
		{"execsnoop -n main", "only print command lines containing \"main\""},
		{"execsnoop -l tpkg", "only print command where arguments contains \"tpkg\""},
		{"execsnoop -P 1234", "only trace children of PID 1234"},
		{"execsnoop -c CG", "trace process under cgroupsv2 path CG"},
		{"execsnoop --json", "one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks are execsnoop's ways into the kernel, best first.
var Hooks = []attach.Hook{{
	Name: "exec",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_execve", Program: "tp_enter_execve"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_execve", Program: "tp_exit_execve"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_execveat", Program: "tp_enter_execveat", Optional: true},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_execveat", Program: "tp_exit_execveat", Optional: true},
		}},
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "sched_process_exec", Program: "btf_sched_process_exec"}},
			Limits: "failed exec()s are not visible (no syscall tracepoints)"},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sched_process_exec", Program: "raw_sched_process_exec"}},
			Limits: "failed exec()s are not visible (no syscall tracepoints)"},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadExecsnoop,
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
	if cfg.fails {
		for _, l := range obj.Plan.Limits() {
			fmt.Fprintf(inv.Stderr, "%s: warning: -x asked for, but %s\n", inv.Name, l)
		}
	}
	p := newPrinter(cfg, monotonicNow())
	p.color = !cfg.json && stream.Colour(inv.Stdout)
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
