package fileslower

import (
	"context"
	"strconv"

	bpfobj "github.com/probebox/probebox/bpfobj/fileslower"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is fileslower's registration.
var Applet = &applet.Applet{
	Name:    "fileslower",
	Summary: "Trace slow synchronous file reads and writes",
	Args:    []applet.Arg{{Name: "min_ms", Usage: "minimum I/O duration to trace, in ms (default 10; 0: all)"}},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only (in the kernel)"},
		{Short: "a", Long: "all-files", Usage: "include non-regular file types (sockets, FIFOs, etc)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"fileslower", "trace sync file I/O slower than 10 ms (default)"},
		{"fileslower 1", "trace sync file I/O slower than 1 ms"},
		{"fileslower -p 185", "trace PID 185 only"},
		{"fileslower -a 100", "include pipes and sockets, slower than 100 ms"},
	},
	Hooks: Hooks,
	Run:   run,
}

// StandInLimits: what the syscall stand-in does not see.
const StandInLimits = "times read/pread64/write/pwrite64 calls (the file found from the descriptor), " +
	"not vfs_read/vfs_write: in-kernel readers and writers are not seen"

func sys(name string) []attach.Attachment {
	return []attach.Attachment{
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_" + name, Program: "tp_enter_" + name},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_" + name, Program: "tp_exit_" + name},
	}
}

// Hooks: vfs_read and vfs_write by fentry/fexit, else kprobe/kretprobe,
// else the syscalls.
var Hooks = []attach.Hook{{
	Name: "file reads and writes",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Fentry, Target: "vfs_read", Program: "fentry_read"},
			{Kind: attach.Fexit, Target: "vfs_read", Program: "fexit_read"},
			{Kind: attach.Fentry, Target: "vfs_write", Program: "fentry_write"},
			{Kind: attach.Fexit, Target: "vfs_write", Program: "fexit_write"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "vfs_read", Program: "kprobe_read"},
			{Kind: attach.Kretprobe, Target: "vfs_read", Program: "kretprobe_read"},
			{Kind: attach.Kprobe, Target: "vfs_write", Program: "kprobe_write"},
			{Kind: attach.Kretprobe, Target: "vfs_write", Program: "kretprobe_write"},
		}},
		{Attach: append(append(append(sys("read"), sys("pread64")...), sys("write")...), sys("pwrite64")...), Limits: StandInLimits},
	},
}}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "starts", What: "reads and writes"}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadFileslower, Hooks: Hooks, Consts: cfg.consts(),
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
		header = []byte("Tracing sync read/writes slower than " + strconv.Itoa(cfg.minMs) + " ms\n" + headerLine)
	}
	var ev event
	var line []byte
	var first uint64
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose, Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			if first == 0 {
				first = ev.tsNs
			}
			line = format(line[:0], &ev, first, cfg.json)
			return line, nil
		},
	})
}
