package setuids

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/setuids"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is setuids' registration.
var Applet = &applet.Applet{
	Name:    "setuids",
	Summary: "Trace the setuid and setgid syscall families: privilege changes",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "x", Long: "failed", Usage: "only show failed calls"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"setuids", "trace setuid(2) and setgid(2) family syscalls"},
		{"setuids -x", "only failed privilege changes"},
		{"setuids -p 1216", "only trace PID 1216"},
		{"setuids --json", "one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

// names follow SETID_* in setuids.h.
var names = []string{"setuid", "setfsuid", "setreuid", "setresuid", "setgid", "setfsgid", "setregid", "setresgid"}

// Hooks: the syscall tracepoints see the ids asked for and the result.
var Hooks = func() []attach.Hook {
	var at []attach.Attachment
	for _, n := range names {
		at = append(at,
			attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_" + n, Program: "tp_enter_" + n},
			attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_" + n, Program: "tp_exit_" + n})
	}
	return []attach.Hook{{Name: "setuid syscalls", Candidates: []attach.Candidate{{Attach: at}}}}
}()

func run(ctx context.Context, inv *applet.Invocation) error {
	pid := inv.Int("pid")
	if inv.IsSet("pid") && pid <= 0 {
		return applet.Usagef("invalid PID %d for -p", pid)
	}
	consts := map[string]any{"failed_only": inv.Bool("failed")}
	if pid > 0 {
		consts["filter_pid"] = uint32(pid)
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadSetuids,
		Hooks:   Hooks,
		Consts:  consts,
		BTF:     inv.String("btf"),
		Cgroup:  inv.String("cgroup"),
		Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "inflight", What: "setuid calls",
		Hint: "more threads were inside setuid calls at once than the map holds"})
	if err != nil {
		return err
	}
	p := newPrinter(inv.Bool("json"))
	var header []byte
	if !p.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: inv.Bool("verbose"), Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
