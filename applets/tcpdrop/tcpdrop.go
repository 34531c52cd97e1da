package tcpdrop

import (
	"context"
	"fmt"
	"time"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpdrop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/netfmt"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/syms"
)

func init() { applet.Register(Applet) }

// Applet is tcpdrop's registration.
var Applet = &applet.Applet{
	Name:    "tcpdrop",
	Summary: "Trace TCP drops by the kernel",
	Flags: []applet.Flag{
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		{Long: "nostack", Usage: "do not print kernel stacks"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpdrop", "trace kernel TCP drops"},
		{"tcpdrop -4", "trace IPv4 family only"},
		{"tcpdrop -6", "trace IPv6 family only"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: skb:kfree_skb, which gives the drop reason since 5.17 (tcp_drop,
// which bcc once probed, is gone from current kernels).
var Hooks = []attach.Hook{{
	Name: "packet drop",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "kfree_skb", Program: "btf_kfree_skb"}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "kfree_skb", Program: "raw_kfree_skb"}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "skb", Target: "kfree_skb", Program: "tp_kfree_skb"}}},
	},
}}

type config struct {
	json, verbose, noStack bool
	family                 uint16
	btf                    string
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{json: inv.Bool("json"), verbose: inv.Bool("verbose"), noStack: inv.Bool("nostack"), btf: inv.String("btf")}
	switch {
	case inv.Bool("ipv4") && inv.Bool("ipv6"):
		return nil, applet.Usagef("-4 and -6 cannot be used together")
	case inv.Bool("ipv4"):
		c.family = netfmt.AFInet
	case inv.Bool("ipv6"):
		c.family = netfmt.AFInet6
	}
	if len(inv.Args) > 0 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	return c, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadTcpdrop, Hooks: Hooks, Consts: map[string]any{"filter_family": cfg.family},
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	p := newPrinter(cfg, time.Now)
	p.reasons = reasonNames(cfg.btf)
	if !cfg.noStack {
		m := obj.Map("stacks")
		if m == nil {
			return fmt.Errorf("internal: BPF object has no stacks map")
		}
		sym := syms.NewSymbolizer()
		if err := sym.KernelErr(); err != nil {
			fmt.Fprintf(inv.Stderr, "%s: kernel stacks without symbols: %v\n", inv.Name, err)
		}
		p.stack = kernelStack(stacks.NewResolver(m, sym))
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

// kernelStack names a drop's kernel stack through the shared resolver
// as bcc's tcpdrop prints it ("tcp_v4_rcv+0x1a4"); a stack the map
// could not store is its one "[Missed Kernel Stack]" line.
func kernelStack(r *stacks.Resolver) func(id int32) []string {
	ff := syms.FrameFormat{Offset: true, Module: true}
	return func(id int32) []string {
		s := r.Resolve(stacks.Key{KernelID: id, UserID: stacks.NotCollected}, 0)
		if s.KernelMissed {
			return []string{stacks.MissedKernel}
		}
		names := make([]string, len(s.Kernel))
		for i, f := range s.Kernel {
			names[i] = f.Format(ff)
		}
		return names
	}
}

// reasonNames reads enum skb_drop_reason from the kernel's BTF:
// SKB_DROP_REASON_NETFILTER_DROP is shown as NETFILTER_DROP.
func reasonNames(btfPath string) map[uint32]string {
	names := map[uint32]string{}
	res, err := kbtf.Default(btfPath).Resolve()
	if err != nil {
		return names
	}
	addReasons(names, res.Spec)
	return names
}
