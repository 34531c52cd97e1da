package fsslower

import (
	"context"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/fsslower"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/fsops"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() {
	applet.Register(Applet)
	for _, fs := range fsops.Names() {
		applet.Register(alias(fs))
	}
}

// nOps: fsslower times read, write, open and fsync (not getattr).
const nOps = 4

var commonFlags = []applet.Flag{
	{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace (in the kernel)"},
	{Short: "m", Long: "min", Kind: applet.Int, Meta: "MIN", Default: "10", Usage: "min latency to trace, in ms (0: every operation)"},
	{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace in seconds"},
	{Short: "c", Long: "csv", Usage: "output as csv"},
	applet.JSONFlag,
	applet.BTFFlag,
	applet.VerboseFlag,
}

// Applet is fsslower's registration; -t names the file system.
var Applet = &applet.Applet{
	Name:    "fsslower",
	Summary: "Trace file system operations (read, write, open, fsync) slower than a threshold",
	Flags: append([]applet.Flag{
		{Short: "t", Long: "type", Kind: applet.String, Meta: "FS", Usage: "file system: btrfs, ext4, nfs, xfs"},
	}, commonFlags...),
	Examples: []applet.Example{
		{"fsslower -t ext4", "trace ext4 operations slower than 10 ms"},
		{"fsslower -t nfs -p 1216", "trace nfs operations of PID 1216 only"},
		{"fsslower -t xfs -c -d 1", "trace xfs operations for 1s with csv output"},
		{"fsslower -t btrfs -m 0", "trace every btrfs operation"},
	},
	Hooks: fsops.Hooks("ext4", nOps),
	Run:   func(ctx context.Context, inv *applet.Invocation) error { return run(ctx, inv, inv.String("type")) },
}

func alias(fs string) *applet.Applet {
	return &applet.Applet{
		Name:    fs + "slower",
		Summary: "Trace " + fs + " operations slower than a threshold (fsslower -t " + fs + ")",
		Flags:   commonFlags,
		Examples: []applet.Example{
			{fs + "slower", "trace operations slower than 10 ms"},
			{fs + "slower -m 1", "trace operations slower than 1 ms"},
			{fs + "slower -m 0", "trace every operation"},
			{fs + "slower -p 181", "trace PID 181 only"},
		},
		Hooks: fsops.Hooks(fs, nOps),
		Run:   func(ctx context.Context, inv *applet.Invocation) error { return run(ctx, inv, fs) },
	}
}

func spec(fs string) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadFsslower()
		if err != nil {
			return nil, err
		}
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
		Tool: inv.Name, Spec: spec(fs), Hooks: fsops.Hooks(fs, nOps), Consts: cfg.consts(),
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
	var ev event
	var line []byte
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: cfg.header(), Verbose: cfg.verbose, Full: full,
		Duration: time.Duration(cfg.duration) * time.Second,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			line = format(line[:0], &ev, time.Now(), cfg)
			return line, nil
		},
	})
}
