package drsnoop

import (
	"context"
	"fmt"
	"os"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/drsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/syms"
)

func init() { applet.Register(Applet) }

// Applet is drsnoop's registration.
var Applet = &applet.Applet{
	Name:    "drsnoop",
	Summary: "Trace direct reclaim latency",
	Flags: []applet.Flag{
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace in seconds"},
		{Short: "e", Long: "extended", Usage: "extended fields output: free memory when the stall began"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process PID to trace"},
		{Short: "t", Long: "tid", Kind: applet.Int, Meta: "TID", Usage: "thread TID to trace"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"drsnoop", "trace all direct reclaim events"},
		{"drsnoop -p 123", "trace pid 123"},
		{"drsnoop -t 123", "trace tid 123 (use for threads only)"},
		{"drsnoop -d 10", "trace for 10 seconds only"},
		{"drsnoop -e", "trace all direct reclaim events with extended fields"},
	},
	Hooks: Hooks,
	Run:   run,
}

func pair(kind attach.Kind, prefix string) []attach.Attachment {
	var at []attach.Attachment
	for _, t := range []struct{ tp, prog string }{
		{"mm_vmscan_direct_reclaim_begin", "direct_begin"}, {"mm_vmscan_direct_reclaim_end", "direct_end"},
		{"mm_vmscan_memcg_reclaim_begin", "memcg_begin"}, {"mm_vmscan_memcg_reclaim_end", "memcg_end"},
	} {
		at = append(at, attach.Attachment{Kind: kind, Target: t.tp, Program: prefix + t.prog, Optional: t.prog[0] == 'm'})
	}
	return at
}

// Hooks: the vmscan tracepoints mark a stall's start and end in the
// stalled task's context; memory cgroup reclaim is taken where present.
var Hooks = []attach.Hook{{
	Name: "direct reclaim",
	Candidates: []attach.Candidate{
		{Attach: pair(attach.TPBTF, "btf_")},
		{Attach: pair(attach.RawTracepoint, "raw_")},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	pid, tid, dur := inv.Int("pid"), inv.Int("tid"), inv.Int("duration")
	switch {
	case inv.IsSet("pid") && pid <= 0:
		return applet.Usagef("invalid PID %d for -p", pid)
	case inv.IsSet("tid") && tid <= 0:
		return applet.Usagef("invalid TID %d for -t", tid)
	case inv.IsSet("duration") && dur <= 0:
		return applet.Usagef("invalid DURATION %d for -d: want seconds > 0", dur)
	}
	consts := map[string]any{}
	if pid > 0 {
		consts["filter_pid"] = uint32(pid)
	}
	if tid > 0 {
		consts["filter_tid"] = uint32(tid)
	}
	extended := inv.Bool("extended")
	if extended {
		ks, err := syms.LoadKernel()
		if err != nil {
			return fmt.Errorf("-e needs kernel symbols: %w", err)
		}
		addr, ok := ks.Address("vm_zone_stat")
		if !ok || addr == 0 {
			return fmt.Errorf("-e needs the address of vm_zone_stat, which /proc/kallsyms does not list here (a kernel with CONFIG_KALLSYMS_ALL=y would)")
		}
		consts["vm_zone_stat_addr"] = addr
	}
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    bpfobj.LoadDrsnoop,
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
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "starts", What: "reclaim stalls",
		Hint: "more threads were reclaiming at once than the map holds"})
	if err != nil {
		return err
	}
	p := newPrinter(inv.Bool("json"), extended, os.Getpagesize())
	var header []byte
	if !p.json {
		banner := "Tracing direct reclaim events... Hit Ctrl-C to end.\n"
		if dur > 0 {
			banner = fmt.Sprintf("Tracing direct reclaim events for %d secs.\n", dur)
		}
		header = append([]byte(banner), p.header()...)
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: inv.Bool("verbose"), Full: full,
		Duration: time.Duration(dur) * time.Second,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
