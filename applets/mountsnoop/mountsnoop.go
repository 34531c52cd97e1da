package mountsnoop

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/mountsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is mountsnoop's registration.
var Applet = &applet.Applet{
	Name:    "mountsnoop",
	Summary: "Trace mount, umount, fsopen, fsconfig, fsmount, move_mount syscalls",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "d", Long: "detailed", Usage: "output result in detail mode (one line per field)"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"mountsnoop", "trace mount relative syscalls"},
		{"mountsnoop -d", "detailed output (one line per column value)"},
		{"mountsnoop -p 1216", "only trace PID 1216"},
		{"mountsnoop --json", "one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

// syscalls: mount and umount exist everywhere; oldumount is x86's
// umount(2) without flags; the fs* calls arrived in 5.2.
var syscalls = []struct {
	name     string
	optional bool
}{{"mount", false}, {"umount", false}, {"oldumount", true}, {"fsopen", true}, {"fsconfig", true}, {"fsmount", true}, {"move_mount", true}}

// Hooks: the syscall tracepoints see the caller's arguments and result.
var Hooks = func() []attach.Hook {
	var at []attach.Attachment
	for _, s := range syscalls {
		at = append(at,
			attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_" + s.name, Program: "tp_enter_" + s.name, Optional: s.optional},
			attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_" + s.name, Program: "tp_exit_" + s.name, Optional: s.optional})
	}
	return []attach.Hook{{Name: "mount syscalls", Candidates: []attach.Candidate{{Attach: at}}}}
}()

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadMountsnoop,
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
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "inflight", What: "mount calls",
		Hint: "more threads were inside mount calls at once than the map holds"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	var header []byte
	if !cfg.json && !cfg.detailed {
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
			return p.format(&ev), nil
		},
	})
}
