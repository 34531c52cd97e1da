package netqtop

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/netqtop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is netqtop's registration.
var Applet = &applet.Applet{
	Name:    "netqtop",
	Summary: "Summarize packets and their sizes per queue of a network interface",
	Flags: []applet.Flag{
		{Short: "n", Long: "name", Kind: applet.String, Meta: "NAME", Usage: "network interface name (required)"},
		{Short: "i", Long: "interval", Kind: applet.String, Meta: "INTERVAL", Usage: "output interval, in seconds (fractions allowed)", Default: "1"},
		{Short: "t", Long: "throughput", Usage: "see PPS and BPS"},
		{Long: "netns", Kind: applet.String, Meta: "PATH", Usage: "the interface's network namespace (/run/netns/NAME, /proc/PID/ns/net), default this one"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"netqtop -n lo", "print queue statistics of lo every second"},
		{"netqtop -n lo -i 3", "every 3 seconds"},
		{"netqtop -n eth0 -t", "with throughput (BPS and PPS)"},
		{"netqtop -n eth0 --netns /run/netns/blue", "eth0 of the network namespace blue"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the device's transmit entry and the stack's receive entry.
var Hooks = []attach.Hook{
	{Name: "packet transmit", Candidates: tracepoints("net_dev_start_xmit", "xmit")},
	{Name: "packet receive", Candidates: tracepoints("netif_receive_skb", "receive")},
}

func tracepoints(target, suffix string) []attach.Candidate {
	return []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: target, Program: "btf_" + suffix}}},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: target, Program: "raw_" + suffix}}},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "net", Target: target, Program: "tp_" + suffix}}},
	}
}

type config struct {
	name, netns, btf          string
	every                     time.Duration
	seconds                   float64
	throughput, json, verbose bool
}

func newConfig(inv *applet.Invocation) (*config, error) {
	c := &config{name: inv.String("name"), netns: inv.String("netns"), btf: inv.String("btf"),
		throughput: inv.Bool("throughput"), json: inv.Bool("json"), verbose: inv.Bool("verbose")}
	switch {
	case c.name == "":
		return nil, applet.Usagef("please specify a network interface with -n NAME")
	case len(c.name) >= 16:
		return nil, applet.Usagef("invalid interface name %q for -n: at most 15 characters", c.name)
	}
	s, err := strconv.ParseFloat(inv.String("interval"), 64)
	if err != nil || !(s > 0) || s > 1<<31 || math.IsInf(s, 0) {
		return nil, applet.Usagef("invalid interval %q for -i: want a positive number of seconds", inv.String("interval"))
	}
	c.seconds = s
	c.every = time.Duration(s * float64(time.Second))
	if c.every < time.Millisecond {
		return nil, applet.Usagef("invalid interval %q for -i: at least 0.001 seconds", inv.String("interval"))
	}
	return c, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	dev, err := findDevice(cfg.name, cfg.netns)
	if err != nil {
		return err
	}
	if dev.txq > maxQueues || dev.rxq > maxQueues {
		return fmt.Errorf("%s has %d transmit and %d receive queues: more than %d are not supported", cfg.name, dev.txq, dev.rxq, maxQueues)
	}
	if w := inv.VerboseWriter(); w != nil {
		src := "netlink (queues the device has)"
		if dev.fromSysfs {
			src = "sysfs (queues in use)"
		}
		fmt.Fprintf(w, "%s: %s is ifindex %d in network namespace %d; %d transmit and %d receive queues from %s\n",
			inv.Name, cfg.name, dev.ifindex, dev.netns, dev.txq, dev.rxq, src)
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks,
		Consts: map[string]any{"target_ifindex": dev.ifindex, "target_netns": dev.netns},
		BTF:    cfg.btf, Verbose: inv.VerboseWriter(), Kernel: kernel,
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	c := &counters{tx: newSide(obj.Map("tx"), dev.txq), rx: newSide(obj.Map("rx"), dev.rxq)}
	p := &printer{cfg: cfg, now: time.Now}
	return summary.Run(ctx, summary.Options[interval]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		JSON: cfg.json, Verbose: cfg.verbose, Every: cfg.every, Full: &loader.MapFull{},
		Drain: c.take,
		Write: func(b *bytes.Buffer, is []interval, _ []loader.Dropped) { p.summary(b, is[0]) },
	})
}

// kernel is the kernel hooks are chosen on; nil: the running one (tests
// take hook kinds away to run the fallbacks).
var kernel attach.Kernel

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadNetqtop()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events") // only the counters are filled
	delete(s.Maps, "lost_events")
	return s, nil
}
