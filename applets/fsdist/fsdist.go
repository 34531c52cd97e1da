package fsdist

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/fsdist"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/fsops"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() {
	applet.Register(Applet)
	for _, fs := range fsops.Names() {
		applet.Register(alias(fs))
	}
}

var commonFlags = []applet.Flag{
	{Short: "T", Long: "timestamp", Usage: "print timestamp"},
	{Short: "m", Long: "milliseconds", Usage: "millisecond histogram"},
	{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this process only (in the kernel)"},
	applet.JSONFlag,
	applet.BTFFlag,
	applet.VerboseFlag,
}

var args = []applet.Arg{
	{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
	{Name: "count", Usage: "number of outputs"},
}

// Applet is fsdist's registration; -t names the file system.
var Applet = &applet.Applet{
	Name:    "fsdist",
	Summary: "Summarize file system operation (read, write, open, fsync, getattr) latency",
	Args:    args,
	Flags: append([]applet.Flag{
		{Short: "t", Long: "type", Kind: applet.String, Meta: "FS", Usage: "file system: btrfs, ext4, nfs, xfs"},
	}, commonFlags...),
	Examples: []applet.Example{
		{"fsdist -t ext4", "show ext4 operation latency as a histogram"},
		{"fsdist -t nfs -p 1216", "trace nfs operations of PID 1216 only"},
		{"fsdist -t xfs 1 10", "trace xfs operations with 1s summaries, 10 times"},
		{"fsdist -t btrfs -m 5", "trace btrfs operations with 5s summaries, milliseconds"},
	},
	Hooks: fsops.Hooks("ext4", len(fsops.Ops)),
	Run:   func(ctx context.Context, inv *applet.Invocation) error { return run(ctx, inv, inv.String("type")) },
}

// alias is FSdist (ext4dist, ...): fsdist for one file system.
func alias(fs string) *applet.Applet {
	return &applet.Applet{
		Name:    fs + "dist",
		Summary: "Summarize " + fs + " operation latency (fsdist -t " + fs + ")",
		Args:    args,
		Flags:   commonFlags,
		Examples: []applet.Example{
			{fs + "dist", "show operation latency as a histogram"},
			{fs + "dist -p 181", "trace PID 181 only"},
			{fs + "dist 1 10", "print 1 second summaries, 10 times"},
			{fs + "dist -m 5", "5s summaries, milliseconds"},
		},
		Hooks: fsops.Hooks(fs, len(fsops.Ops)),
		Run:   func(ctx context.Context, inv *applet.Invocation) error { return run(ctx, inv, fs) },
	}
}

func spec(fs string) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadFsdist()
		if err != nil {
			return nil, err
		}
		delete(s.Maps, "events")
		delete(s.Maps, "lost_events")
		fsops.SetTargets(s, fs)
		return s, nil
	}
}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "fs_starts", What: "operations"}}

func run(ctx context.Context, inv *applet.Invocation, fs string) error {
	cfg, err := newConfig(inv, fs)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec(fs), Hooks: fsops.Hooks(fs, len(fsops.Ops)), Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	hists := obj.Map("hists")
	if hists == nil {
		return fmt.Errorf("internal: BPF object has no hists map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	return summary.Run(ctx, summary.Options[[]uint64]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing " + fs + " operation latency... Hit Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([][]uint64, error) { return drain(hists) },
		Write: p.summary,
	})
}

// drain copies each operation's histogram out and zeroes it.
func drain(m *ebpf.Map) ([][]uint64, error) {
	out := make([][]uint64, len(fsops.Ops))
	zero := make([]byte, maxSlots*4)
	val := make([]byte, maxSlots*4)
	for i := range out {
		if err := m.Lookup(uint32(i), &val); err != nil {
			return nil, fmt.Errorf("reading histograms: %w", err)
		}
		out[i] = make([]uint64, maxSlots)
		for s := range out[i] {
			out[i][s] = uint64(binary.NativeEndian.Uint32(val[s*4:]))
		}
		if !bytes.Equal(val, zero) {
			if err := m.Update(uint32(i), zero, ebpf.UpdateAny); err != nil {
				return nil, fmt.Errorf("clearing histograms: %w", err)
			}
		}
	}
	return out, nil
}
