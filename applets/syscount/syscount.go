package syscount

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/syscount"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/sysnames"
)

func init() { applet.Register(Applet) }

// Slots of map_full, as SYSCOUNT_FULL_* in bpfobj/syscount/syscount.h.
const (
	fullData  = 0
	fullStart = 1
)

// Applet is syscount's registration.
var Applet = &applet.Applet{
	Name:    "syscount",
	Summary: "Summarize syscall counts and latencies",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process PID to trace"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "trace only this thread (bcc's --tid)"},
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "print summary at this interval (seconds), 0 for infinite wait (default)"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total tracing duration (seconds)"},
		{Short: "T", Long: "top", Kind: applet.Int, Meta: "TOP", Usage: "print only the top syscalls", Default: "10"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		{Short: "x", Long: "failures", Usage: "trace only failed syscalls"},
		{Short: "L", Long: "latency", Usage: "collect syscall latency"},
		{Short: "m", Long: "milliseconds", Usage: "display latency in milliseconds (default: microseconds)"},
		{Short: "P", Long: "process", Usage: "count by process and not by syscall"},
		{Short: "e", Long: "errno", Kind: applet.String, Meta: "ERRNO", Usage: "trace only syscalls that return this error (numeric or EPERM, etc.)"},
		{Short: "l", Long: "list", Usage: "print list of recognized syscalls and exit"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"syscount", "print top 10 syscalls at Ctrl-C"},
		{"syscount -i 1", "print top 10 syscalls every second"},
		{"syscount -p $(pidof dd)", "look only at a particular process"},
		{"syscount -L", "measure and sort output by latency"},
		{"syscount -P", "group statistics by pid, not by syscall"},
		{"syscount -x -i 5", "count only failed syscalls"},
		{"syscount -e ENOENT -i 5", "count only syscalls failed with a given errno"},
		{"syscount -c CG", "trace processes under cgroup v2 path CG"},
		{"syscount -l", "list the syscall names this architecture has"},
		{"syscount --json -i 1", "one JSON object per second"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: raw_syscalls sees every syscall with its number and result; the
// raw tracepoints need no tracefs and cost less per syscall.
var Hooks = []attach.Hook{{
	Name: "syscalls",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.RawTracepoint, Target: "sys_enter", Program: "raw_sys_enter"},
			{Kind: attach.RawTracepoint, Target: "sys_exit", Program: "raw_sys_exit"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Tracepoint, Group: "raw_syscalls", Target: "sys_enter", Program: "tp_sys_enter"},
			{Kind: attach.Tracepoint, Group: "raw_syscalls", Target: "sys_exit", Program: "tp_sys_exit"},
		}},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	if cfg.list {
		return list(inv.Stdout)
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadSyscount,
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
	if cfg.verbose {
		fmt.Fprintf(inv.Stderr, "%s: syscall names from the %s table (%d syscalls)\n", inv.Name, sysnames.Arch, len(sysnames.Numbers()))
	}
	full, err := obj.MapFull(
		loader.Bounded{Counter: "map_full", Slot: fullData, Map: "counts", What: "syscalls", Hint: "more keys than the map holds"},
		loader.Bounded{Counter: "map_full", Slot: fullStart, Map: "start", What: "syscall latencies", Hint: "more threads in syscalls at once than the map holds"},
	)
	if err != nil {
		return err
	}
	every := time.Duration(cfg.interval) * time.Second
	count := 0
	if cfg.duration > 0 {
		if cfg.interval > 0 {
			count = (cfg.duration + cfg.interval - 1) / cfg.interval
		} else {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, time.Duration(cfg.duration)*time.Second)
			defer cancel()
		}
	}
	p := newPrinter(cfg)
	counts := obj.Map("counts")
	return summary.Run(ctx, summary.Options[row]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing syscalls, printing top " + strconv.Itoa(cfg.top) + "... Ctrl+C to quit.\n",
		JSON:   cfg.json, Verbose: cfg.verbose,
		Every: every, Count: count, Full: full,
		Drain: func() ([]row, error) { return drain(counts) },
		Write: func(b *bytes.Buffer, rows []row, dropped []loader.Dropped) { p.write(b, rows, dropped) },
	})
}

// list prints the syscalls this build can name, as libbpf-tools' -l does.
func list(w io.Writer) error {
	var b bytes.Buffer
	for _, nr := range sysnames.Numbers() {
		fmt.Fprintf(&b, "%3d: %s\n", nr, sysnames.Name(nr))
	}
	_, err := w.Write(b.Bytes())
	return err
}
