package oomkill

import (
	"context"
	"os"

	bpfobj "github.com/probebox/probebox/bpfobj/oomkill"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is oomkill's registration.
var Applet = &applet.Applet{
	Name:    "oomkill",
	Summary: "Trace OOM killer kills, with the triggering and the killed process",
	Flags: []applet.Flag{
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"oomkill", "trace OOM kills"},
		{"oomkill --json", "one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

const victimPages = "PAGES is the victim's total_vm, not the OOM domain's size (oom_kill_process() is not reachable)"

// Hooks: the kprobe sees the OOM domain; the tracepoint needs no kprobes.
var Hooks = []attach.Hook{{
	Name: "OOM kill",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "oom_kill_process", Program: "kprobe_oom_kill_process"}}},
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "mark_victim", Program: "btf_mark_victim"}}, Limits: victimPages},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "mark_victim", Program: "raw_mark_victim"}}, Limits: victimPages},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	json := inv.Bool("json")
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadOomkill,
		Hooks:   Hooks,
		BTF:     inv.String("btf"),
		Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	p := newPrinter(json)
	p.loadavg = func() []byte { b, _ := os.ReadFile("/proc/loadavg"); return b }
	var header []byte
	if !json {
		header = []byte("Tracing OOM kills... Ctrl-C to stop.\n") // bcc's line
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: inv.Bool("verbose"),
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
