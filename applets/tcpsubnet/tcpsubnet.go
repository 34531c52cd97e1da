package tcpsubnet

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpsubnet"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is tcpsubnet's registration.
var Applet = &applet.Applet{
	Name:    "tcpsubnet",
	Summary: "Summarize TCP send and aggregate by subnet",
	Args: []applet.Arg{
		{Name: "subnets", Usage: "comma separated list of subnets, first match wins (default " + defaultSubnets + ")"},
	},
	Flags: []applet.Flag{
		{Short: "i", Long: "interval", Kind: applet.Int, Meta: "INTERVAL", Usage: "output interval, in seconds", Default: "1"},
		{Short: "f", Long: "format", Kind: applet.String, Meta: "FORMAT", Usage: "[bkmBKM] format to report: bits, Kbits, Mbits, bytes, KBytes, MBytes", Default: "B"},
		{Short: "J", Usage: "format output as JSON (same as --json)", Hidden: true},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpsubnet", "trace TCP sent to the default subnets: " + defaultSubnets},
		{"tcpsubnet -f K", "trace TCP sent to the default subnets, aggregated in KBytes"},
		{"tcpsubnet 10.80.0.0/24", "trace TCP sent to 10.80.0.0/24 only"},
		{"tcpsubnet 10.80.0.0/24,0.0.0.0/0", "10.80.0.0/24 apart from everything else"},
		{"tcpsubnet -i 10 fd00::/8,::/0", "IPv6 subnets, every 10 seconds"},
	},
	Hooks: Hooks,
	Run:   run,
}

const lengthLimit = "bytes sock_sendmsg accepted (its return value), not the size asked of tcp_sendmsg; sends that do not pass through sock_sendmsg (in-kernel senders) are not seen"

// Hooks: TCP's send function, else the socket layer's send-length
// tracepoint (6.3+).
var Hooks = []attach.Hook{{
	Name: "TCP send",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fentry, Target: "tcp_sendmsg", Program: "fentry_sendmsg"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kprobe, Target: "tcp_sendmsg", Program: "kprobe_sendmsg"}}},
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "sock_send_length", Program: "btf_send_length"}}, Limits: lengthLimit},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "sock_send_length", Program: "raw_send_length"}}, Limits: lengthLimit},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "sock", Target: "sock_send_length", Program: "tp_send_length"}}, Limits: lengthLimit},
	},
}}

// kernel is the kernel hooks are chosen on; nil: the running one (tests
// take hook kinds away to run the fallbacks).
var kernel attach.Kernel

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadTcpsubnet()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events") // only the counters are filled
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
	sent := obj.Map("sent")
	if sent == nil {
		return fmt.Errorf("internal: BPF object has no sent map")
	}
	c := &counters{m: sent, prev: make([]uint64, len(cfg.subnets))}
	p := &printer{cfg: cfg, now: time.Now}
	return summary.Run(ctx, summary.Options[traffic]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing... Output every " + strconv.Itoa(int(cfg.every/time.Second)) + " secs. Hit Ctrl-C to end\n",
		JSON:   cfg.json, Verbose: cfg.verbose, Every: cfg.every, Full: &loader.MapFull{},
		Drain: c.take,
		Write: func(b *bytes.Buffer, ts []traffic, _ []loader.Dropped) { p.summary(b, ts) },
	})
}

// traffic is one subnet's bytes in an interval.
type traffic struct {
	index int
	bytes uint64
}

// counters turns the kernel's cumulative per-CPU sums into each
// interval's bytes.
type counters struct {
	m    *ebpf.Map
	prev []uint64
}

func (c *counters) take() ([]traffic, error) {
	var out []traffic
	var perCPU []uint64
	for i := range c.prev {
		if err := c.m.Lookup(uint32(i), &perCPU); err != nil {
			return nil, fmt.Errorf("reading the sent counters: %w", err)
		}
		var total uint64
		for _, n := range perCPU {
			total += n
		}
		if d := total - c.prev[i]; d > 0 {
			out = append(out, traffic{index: i, bytes: d})
		}
		c.prev[i] = total
	}
	return out, nil
}
