package tcpconnlat

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpconnlat"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is tcpconnlat's registration.
var Applet = &applet.Applet{
	Name:    "tcpconnlat",
	Summary: "Trace TCP connects and show connection latency",
	Args:    []applet.Arg{{Name: "min_ms", Usage: "minimum latency to show, in milliseconds (fractions allowed)"}},
	Flags: []applet.Flag{
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "L", Long: "lport", Usage: "include LPORT on output"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpconnlat", "trace all TCP connects and their latency"},
		{"tcpconnlat 1", "trace connection latency slower than 1 ms"},
		{"tcpconnlat 0.1", "trace connection latency slower than 100 us"},
		{"tcpconnlat -t", "include timestamps"},
		{"tcpconnlat -p 185", "trace PID 185 only"},
		{"tcpconnlat -L", "include LPORT while printing outputs"},
	},
	Hooks: Hooks,
	Run:   run,
}

// stateLimit is what the inet_sock_set_state stand-in measures instead.
const stateLimit = "latency counted from the change to SYN_SENT inside connect() (microseconds after it starts) to ESTABLISHED"

// Hooks: connect's entry and the SYN-ACK's processing where functions can
// be probed, else the state changes they make.
var Hooks = []attach.Hook{{
	Name: "TCP connect latency",
	Candidates: append([]attach.Candidate{
		{Attach: funcs(attach.Fentry, "fentry")},
		{Attach: funcs(attach.Kprobe, "kprobe")},
	}, netfmt.SetStateCandidates(stateLimit)...),
}}

func funcs(k attach.Kind, prefix string) []attach.Attachment {
	return []attach.Attachment{
		{Kind: k, Target: "tcp_v4_connect", Program: prefix + "_v4_connect"},
		{Kind: k, Target: "tcp_v6_connect", Program: prefix + "_v6_connect", Optional: true},
		{Kind: k, Target: "tcp_rcv_state_process", Program: prefix + "_rcv_state"},
		{Kind: k, Target: "tcp_v4_destroy_sock", Program: prefix + "_destroy"},
	}
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadTcpconnlat, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	// A connect whose start the full map refused is never reported.
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "start", What: "connects"})
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
			return p.format(&ev), nil
		},
	})
}
