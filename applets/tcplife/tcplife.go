package tcplife

import (
	"context"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/tcplife"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is tcplife's registration.
var Applet = &applet.Applet{
	Name:    "tcplife",
	Summary: "Trace the lifespan of TCP sessions and summarize",
	Flags: []applet.Flag{
		{Short: "T", Long: "time", Usage: "include time column on output (HH:MM:SS)"},
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output (seconds)"},
		{Short: "w", Long: "wide", Usage: "wide column output (fits IPv6 addresses)"},
		{Short: "s", Long: "csv", Usage: "comma separated values output"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "L", Long: "localport", Kind: applet.String, Meta: "LOCALPORT", Usage: "comma-separated list of local ports to trace"},
		{Short: "D", Long: "remoteport", Kind: applet.String, Meta: "REMOTEPORT", Usage: "comma-separated list of remote ports to trace"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcplife", "trace all TCP connect()s"},
		{"tcplife -T", "include time column (HH:MM:SS)"},
		{"tcplife -w", "wider columns (fit IPv6)"},
		{"tcplife -stT", "csv output, with times & timestamps"},
		{"tcplife -p 181", "only trace PID 181"},
		{"tcplife -L 80", "only trace local port 80"},
		{"tcplife -L 80,81", "only trace local ports 80 and 81"},
		{"tcplife -D 80", "only trace remote port 80"},
		{"tcplife -4", "only trace IPv4 family"},
		{"tcplife -6", "only trace IPv6 family"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the state changes are all tcplife needs; the tracepoint exists
// since 4.16, where kernel functions would give nothing more.
var Hooks = []attach.Hook{{Name: "TCP state change", Candidates: netfmt.SetStateCandidates("")}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadTcplife, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	// A session whose birth or owner the full maps refused is reported
	// without them (not at all, or with the closing task): say how many.
	full, err := obj.MapFull(
		loader.Bounded{Counter: "map_full", Slot: slotBirth, Map: "birth", What: "session starts"},
		loader.Bounded{Counter: "map_full", Slot: slotIdents, Map: "idents", What: "session owners"},
	)
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	var header []byte
	if !cfg.json {
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
			return p.format(&ev, time.Now()), nil
		},
	})
}
