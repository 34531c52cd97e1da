package tcprtt

import (
	"context"
	"fmt"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is tcprtt's registration.
var Applet = &applet.Applet{
	Name:    "tcprtt",
	Summary: "Summarize TCP RTT as a histogram",
	Flags: []applet.Flag{
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "summary interval, seconds"},
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "total duration of trace, seconds"},
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "m", Long: "millisecond", Usage: "millisecond histogram"},
		{Short: "p", Long: "lport", Kind: applet.String, Meta: "LPORT", Usage: "filter for local port"},
		{Short: "P", Long: "rport", Kind: applet.String, Meta: "RPORT", Usage: "filter for remote port"},
		{Short: "a", Long: "laddr", Kind: applet.String, Meta: "LADDR", Usage: "filter for local address"},
		{Short: "A", Long: "raddr", Kind: applet.String, Meta: "RADDR", Usage: "filter for remote address"},
		{Short: "b", Long: "byladdr", Usage: "show sockets histogram by local address"},
		{Short: "B", Long: "byraddr", Usage: "show sockets histogram by remote address"},
		{Short: "e", Long: "extension", Usage: "show extension summary(average)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcprtt", "summarize TCP RTT"},
		{"tcprtt -i 1 -d 10", "print 1 second summaries, 10 times"},
		{"tcprtt -m -T", "summarize in millisecond, and timestamps"},
		{"tcprtt -p 80", "filter for local port"},
		{"tcprtt -P 80", "filter for remote port"},
		{"tcprtt -a 127.0.0.1", "filter for local address"},
		{"tcprtt -A 127.0.0.1", "filter for remote address"},
		{"tcprtt -b", "show sockets histogram by local address"},
		{"tcprtt -B", "show sockets histogram by remote address"},
		{"tcprtt -e", "show extension summary(average)"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: tcp_rcv_established, or the tracepoint it fires on entry.
var Hooks = []attach.Hook{{
	Name: "TCP RTT sample",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "tcp_rcv_established", Program: "fentry_rcv"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "tcp_rcv_established", Program: "kprobe_rcv"}}},
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "tcp_probe", Program: "btf_probe"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "tcp_probe", Program: "raw_probe"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "tcp", Target: "tcp_probe", Program: "tp_probe"}}},
	},
}}

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
	hists := obj.Map("hists")
	if hists == nil {
		return fmt.Errorf("internal: BPF object has no hists map")
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "hists", What: "RTT samples"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	return summary.Run(ctx, summary.Options[entry]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: cfg.banner(), JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]entry, error) { return drain(hists) },
		Write: p.summary,
	})
}
