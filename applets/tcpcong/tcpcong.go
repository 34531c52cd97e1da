package tcpcong

import (
	"context"
	"fmt"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpcong"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is tcpcong's registration.
var Applet = &applet.Applet{
	Name:    "tcpcong",
	Summary: "Summarize TCP socket congestion control status duration",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "outputs", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "t", Usage: "include timestamp on output (libbpf-tools' spelling)", Hidden: true},
		{Short: "L", Long: "localport", Kind: applet.String, Meta: "PORTS", Usage: "trace this local port range only (e.g. 3000-3006)"},
		{Short: "l", Kind: applet.String, Meta: "PORTS", Usage: "same as -L (libbpf-tools' spelling)", Hidden: true},
		{Short: "R", Long: "remoteport", Kind: applet.String, Meta: "PORTS", Usage: "trace this remote port range only (e.g. 5000-5005)"},
		{Short: "r", Kind: applet.String, Meta: "PORTS", Usage: "same as -R (libbpf-tools' spelling)", Hidden: true},
		{Short: "u", Long: "microseconds", Usage: "output in microseconds (default milliseconds)"},
		{Short: "m", Usage: "same as -u (bcc's spelling)", Hidden: true},
		{Short: "d", Long: "dist", Usage: "show distributions as histograms"},
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "output interval, in seconds (as the positional interval)"},
		{Short: "o", Long: "outputs", Kind: applet.Int, Meta: "OUTPUTS", Usage: "number of outputs (as the positional outputs)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpcong", "show tcp congestion status duration"},
		{"tcpcong 1 10", "show 1 second summaries, 10 times"},
		{"tcpcong -L 3000-3006 1", "1s summaries, local port 3000-3006"},
		{"tcpcong -R 5000-5005 1", "1s summaries, remote port 5000-5005"},
		{"tcpcong -uT 1", "1s summaries, microseconds, and timestamps"},
		{"tcpcong -d", "show the duration as histograms"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the congestion state setter's tracepoint (6.0+), and the
// socket state changes that start and end a connection's clock.
var Hooks = []attach.Hook{
	{
		Name: "congestion state changes",
		Candidates: []attach.Candidate{
			{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "tcp_cong_state_set", Program: "btf_cong_state_set"}}},
			{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "tcp_cong_state_set", Program: "raw_cong_state_set"}}},
			{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "tcp", Target: "tcp_cong_state_set", Program: "tp_cong_state_set"}}},
		},
	},
	{
		Name:       "connection established and closed",
		Candidates: netfmt.SetStateCandidates(""),
	},
}

// kernel is the kernel hooks are chosen on; nil: the running one (tests
// take hook kinds away to run the fallbacks).
var kernel attach.Kernel

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadTcpcong()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events") // only maps are filled
	delete(s.Maps, "lost_events")
	return s, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(), Kernel: kernel,
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	stats, hists := obj.Map("stats"), obj.Map("hists")
	if stats == nil || hists == nil {
		return fmt.Errorf("internal: BPF object has no stats or hists map")
	}
	full, err := obj.MapFull(
		loader.Bounded{Counter: "map_full", Slot: 0, Map: "since", What: "connections' clocks"},
		loader.Bounded{Counter: "map_full", Slot: 1, Map: "stats", What: "connections' state changes"},
		loader.Bounded{Counter: "map_full", Slot: 2, Map: "hists", What: "state durations"},
	)
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	return summary.Run(ctx, summary.Options[entry]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing tcp congestion control status duration... Hit Ctrl-C to end.\n",
		JSON:   cfg.json, Verbose: cfg.verbose, Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]entry, error) {
			if cfg.dist {
				return summary.Drain(hists, 4, histSize, decodeHist)
			}
			return summary.Drain(stats, keySize, statSize, decodeStat)
		},
		Write: p.summary,
	})
}
