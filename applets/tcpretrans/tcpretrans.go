// Package tcpretrans traces TCP retransmits, as bcc's tcpretrans does: one
// line per retransmitted segment with the connection's local and remote
// address and its TCP state, or with -c a count per connection printed at
// Ctrl-C. The kernel's tcp:tcp_retransmit_skb tracepoint is the source
// (tp_btf, raw tracepoint or tracefs), a kprobe on tcp_retransmit_skb on
// kernels without it.
//
// -l adds tail loss probes (type L), which have no tracepoint: it needs
// fentry or a kprobe on tcp_send_loss_probe. Where the kernel offers
// neither, tcpretrans -l stops with exit status 1 and a one-line reason,
// as bcc's does when its kprobe cannot attach, rather than tracing without
// the probes the user asked for; run it without -l to see retransmits.
// (A loss probe that resends the last segment also passes through
// tcp_retransmit_skb and so shows as R even without -l.)
//
// PID is the process running when the kernel retransmitted; retransmits
// from the retransmission timer run in softirq context and often show
// PID 0 or an unrelated process, as in bcc.
//
// --json fields, one object per event: timestamp_ns (CLOCK_MONOTONIC),
// time (local "HH:MM:SS"), pid, ip (4 or 6), laddr, lport, raddr, rport,
// type ("retransmit" or "tlp"), state ("ESTABLISHED", ...), seq. With -c,
// one object per connection at the end: ip, laddr, lport, raddr, rport,
// retransmits.
package tcpretrans

import (
	"context"
	"fmt"
	"io"

	"github.com/cilium/ebpf"
	bpfobj "github.com/probebox/probebox/bpfobj/tcpretrans"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is tcpretrans's registration.
var Applet = &applet.Applet{
	Name:    "tcpretrans",
	Summary: "Trace TCP retransmits",
	Flags: []applet.Flag{
		{Short: "s", Long: "sequence", Usage: "display TCP sequence numbers"},
		{Short: "l", Long: "lossprobe", Usage: "include tail loss probe attempts (needs fentry or kprobes)"},
		{Short: "c", Long: "count", Usage: "count occurred retransmits per flow, printed at Ctrl-C"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpretrans", "trace TCP retransmits"},
		{"tcpretrans -s", "include TCP sequence numbers"},
		{"tcpretrans -l", "include TLP attempts"},
		{"tcpretrans -c", "count retransmits per flow until Ctrl-C"},
		{"tcpretrans -4", "trace IPv4 family only"},
		{"tcpretrans -6", "trace IPv6 family only"},
		{"tcpretrans --json", "one JSON object per retransmit"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks are what tcpretrans always needs: the retransmit tracepoint in its
// three forms, else a kprobe on the function that fires it.
var Hooks = []attach.Hook{{
	Name: "TCP retransmit",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "tcp_retransmit_skb", Program: "btf_retransmit"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "tcp_retransmit_skb", Program: "raw_retransmit"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "tcp", Target: "tcp_retransmit_skb", Program: "tp_retransmit"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "tcp_retransmit_skb", Program: "kp_retransmit"}}},
	},
}}

// TLPHook is added for -l only: tail loss probes have no tracepoint.
var TLPHook = attach.Hook{
	Name: "tail loss probe",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "tcp_send_loss_probe", Program: "fentry_tlp"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "tcp_send_loss_probe", Program: "kp_tlp"}}},
	},
}

func hooks(cfg *config) []attach.Hook {
	if !cfg.lossProbe {
		return Hooks
	}
	return append(append([]attach.Hook(nil), Hooks...), TLPHook)
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	if cfg.lossProbe {
		// Said before loading, so the reason is about -l, not a load failure.
		if _, err := attach.Choose([]attach.Hook{TLPHook}, attach.Running); err != nil {
			return fmt.Errorf("-l: %v; run without -l to trace retransmits only", err)
		}
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: hooks(cfg), Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	p := newPrinter(cfg)
	if cfg.count {
		return runCount(ctx, inv, cfg, obj, p)
	}
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}

// countsEntries, when not 0, sizes the -c counts map: a test's way to
// fill it.
var countsEntries uint32

// spec is the embedded object, its counts map resized by tests only.
func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadTcpretrans()
	if err != nil {
		return nil, err
	}
	if m, ok := s.Maps["counts"]; ok && countsEntries > 0 {
		m.MaxEntries = countsEntries
	}
	return s, nil
}

// runCount waits for Ctrl-C while the kernel counts, then prints the counts.
func runCount(ctx context.Context, inv *applet.Invocation, cfg *config, obj *loader.Object, p *printer) error {
	counts := obj.Map("counts")
	if counts == nil {
		return fmt.Errorf("internal: BPF object has no counts map")
	}
	// In count mode nothing is emitted: lost_events counts the
	// retransmits the full counts map had no room for.
	full, err := obj.MapFull(loader.Bounded{Counter: "lost_events", Slot: 0, Map: "counts", What: "retransmits"})
	if err != nil {
		return err
	}
	if !cfg.json {
		io.WriteString(inv.Stdout, banner)
	}
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	<-ctx.Done()
	var (
		key   bpfobj.TcpretransRetransFlow
		n     uint64
		flows []flow
	)
	it := counts.Iterate()
	for it.Next(&key, &n) {
		flows = append(flows, flowFromKey(&key, n))
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading the counts: %w", err)
	}
	if _, err := inv.Stdout.Write(p.counts(flows)); err != nil {
		return err
	}
	dropped, err := full.Take()
	if err != nil {
		return err
	}
	loader.Report(inv.Stderr, inv.Name, dropped)
	return nil
}
