package filetop

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/filetop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/top"
)

func init() { applet.Register(Applet) }

// Applet is filetop's registration.
var Applet = &applet.Applet{
	Name:    "filetop",
	Summary: "File reads and writes by process and file, top-like",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 1)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "C", Long: "noclear", Usage: "don't clear the screen (it is only cleared on a terminal)"},
		{Short: "a", Long: "all", Usage: "include non-regular file types (sockets, FIFOs, etc)"},
		{Short: "r", Long: "rows", Kind: applet.Int, Meta: "ROWS", Default: "20", Usage: "maximum rows to print"},
		{Short: "s", Long: "sort", Kind: applet.String, Meta: "SORT", Default: "all", Usage: "sort columns: all, reads, writes, rbytes, wbytes"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this process only (in the kernel)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"filetop", "file I/O top, refresh every 1s"},
		{"filetop -p 1216", "only trace PID 1216"},
		{"filetop -a", "include sockets, pipes and other files"},
		{"filetop -s rbytes -r 5", "the 5 files with the most bytes read"},
		{"filetop 5 10", "5s summaries, 10 times"},
	},
	Hooks: Hooks,
	Run:   run,
}

// StandInLimits: what the syscall stand-in does not see.
const StandInLimits = "counts read/pread64/write/pwrite64 calls (the file found from the descriptor), " +
	"not vfs_read/vfs_write: in-kernel readers and writers (exec, splice, nfsd, io_uring) are not seen"

// Hooks: vfs_read and vfs_write (fentry, else kprobe), else the syscalls.
var Hooks = []attach.Hook{{
	Name: "file reads and writes",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Fentry, Target: "vfs_read", Program: "fentry_read"},
			{Kind: attach.Fentry, Target: "vfs_write", Program: "fentry_write"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "vfs_read", Program: "kprobe_read"},
			{Kind: attach.Kprobe, Target: "vfs_write", Program: "kprobe_write"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_read", Program: "tp_read"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_pread64", Program: "tp_pread64"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_write", Program: "tp_write"},
			{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_pwrite64", Program: "tp_pwrite64"},
		}, Limits: StandInLimits},
	},
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadFiletop()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "entries", What: "reads and writes", Hint: "use -p to trace one process"}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	entries := obj.Map("entries")
	if entries == nil {
		return fmt.Errorf("internal: BPF object has no entries map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	p := newPrinter(cfg)
	p.clear = top.ShouldClear(inv.Stdout, cfg.noClear)
	var buf bytes.Buffer
	return interval.Run(ctx, cfg.every, cfg.count, func(bool) error {
		rows, err := summary.Drain(entries, keySize, valueSize, decodeRow)
		if err != nil {
			return err
		}
		dropped, err := full.Take()
		if err != nil {
			return err
		}
		loader.Report(inv.Stderr, inv.Name, dropped)
		buf.Reset()
		p.print(&buf, rows, top.ReadLoadavg(), dropped)
		_, err = inv.Stdout.Write(buf.Bytes())
		return err
	})
}
