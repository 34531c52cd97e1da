package tcpstates

import (
	"context"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpstates"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is tcpstates' registration.
var Applet = &applet.Applet{
	Name:    "tcpstates",
	Summary: "Trace TCP session state changes and durations",
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output (HH:MM:SS)"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		{Short: "w", Long: "wide", Usage: "wide column output (fits IPv6 addresses)"},
		{Short: "L", Long: "localport", Kind: applet.String, Meta: "LPORT", Usage: "comma-separated list of local ports to trace"},
		{Short: "D", Long: "remoteport", Kind: applet.String, Meta: "DPORT", Usage: "comma-separated list of remote ports to trace"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpstates", "trace all TCP state changes"},
		{"tcpstates -T", "include timestamps"},
		{"tcpstates -L 80", "only trace local port 80"},
		{"tcpstates -D 80", "only trace remote port 80"},
		{"tcpstates -6 -w", "only IPv6, in wide columns"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: every state change passes sock:inet_sock_set_state (4.16+).
var Hooks = []attach.Hook{{Name: "TCP state change", Candidates: netfmt.SetStateCandidates("")}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadTcpstates, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	// A change whose time the full map refused shows 0 ms in the next
	// state's line: say how many.
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "last", What: "state start times"})
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
