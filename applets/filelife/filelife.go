package filelife

import (
	"context"
	"slices"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/filelife"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is filelife's registration.
var Applet = &applet.Applet{
	Name:    "filelife",
	Summary: "Trace the lifespan of short-lived files",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace files this process creates only (in the kernel)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"filelife", "trace all events"},
		{"filelife -p 181", "only trace files PID 181 creates"},
		{"filelife --json", "one JSON object per deleted file"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Limits of the only candidate: there is no tracepoint on creating or
// deleting a file.
const Limits = "files are seen from system calls: created by open/openat/openat2/creat (the descriptor's file " +
	"marked as created) and deleted by unlink/unlinkat under the path they were created with or their own name in " +
	"their directory; files made by mknod, link or rename, deleted by another path, or by in-kernel callers are not seen"

func sys(name string, optional bool) []attach.Attachment {
	return []attach.Attachment{
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_" + name, Program: "tp_enter_" + name, Optional: optional},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_" + name, Program: "tp_exit_" + name, Optional: optional},
	}
}

// Hooks: the create and delete system calls; open, creat and unlink are
// missing on some architectures (arm64), openat2 before 5.6.
var Hooks = []attach.Hook{{
	Name: "file create and delete",
	Candidates: []attach.Candidate{{
		Attach: slices.Concat(sys("openat", false), sys("open", true), sys("openat2", true),
			sys("creat", true), sys("unlinkat", false), sys("unlink", true)),
		Limits: Limits,
	}},
}}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "births", What: "file creations or deletions", Hint: "files not tracked"}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadFilelife, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	var header []byte
	if !cfg.json {
		header = []byte("Tracing the lifespan of short-lived files ... Hit Ctrl-C to end.\n" + headerLine)
	}
	var ev event
	var line []byte
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose, Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			line = format(line[:0], &ev, time.Now(), cfg.json)
			return line, nil
		},
	})
}
