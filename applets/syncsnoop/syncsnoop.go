package syncsnoop

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/syncsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is syncsnoop's registration.
var Applet = &applet.Applet{
	Name:    "syncsnoop",
	Summary: "Trace sync family syscalls (sync, fsync, fdatasync, msync, sync_file_range, syncfs)",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this process only (in the kernel; not in libbpf-tools)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"syncsnoop", "trace sync syscalls"},
		{"syncsnoop -p 181", "trace PID 181's sync syscalls only"},
		{"syncsnoop --json", "one JSON object per call"},
	},
	Hooks: Hooks,
	Run:   run,
}

var syscalls = []string{"sync", "fsync", "fdatasync", "msync", "sync_file_range", "syncfs"}

// Hooks: the syscall entry tracepoints, as libbpf-tools. Only fsync is
// required: an architecture may lack the others (sync_file_range2).
var Hooks = []attach.Hook{{
	Name:       "sync syscalls",
	Candidates: []attach.Candidate{{Attach: syncAttachments()}},
}}

func syncAttachments() []attach.Attachment {
	out := make([]attach.Attachment, len(syscalls))
	for i, s := range syscalls {
		out[i] = attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_" + s, Program: "tp_" + s, Optional: s != "fsync"}
	}
	return out
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadSyncsnoop, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	var header []byte
	if !cfg.json {
		header = []byte(headerLine)
	}
	var ev event
	var line []byte
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			line = format(line[:0], &ev, cfg.json)
			return line, nil
		},
	})
}
