package tcptop

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcptop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is tcptop's registration.
var Applet = &applet.Applet{
	Name:    "tcptop",
	Summary: "Summarize the top active TCP sessions - like top, but for TCP",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 1)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		{Short: "S", Long: "nosummary", Usage: "skip system summary line"},
		{Short: "C", Long: "noclear", Usage: "don't clear the screen"},
		{Short: "s", Long: "sort", Kind: applet.String, Meta: "SORT", Usage: "sort columns, default all [all, sent, received]", Default: "all"},
		{Short: "r", Long: "rows", Kind: applet.Int, Meta: "ROWS", Usage: "maximum rows to print", Default: "20"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcptop", "TCP top, refresh every 1s"},
		{"tcptop -p 1216", "only trace PID 1216"},
		{"tcptop -c path", "only trace the given cgroup path"},
		{"tcptop 5 10", "5s summaries, 10 times"},
		{"tcptop -C 1 1", "one summary after a second, without clearing the screen"},
	},
	Hooks: Hooks,
	Run:   run,
}

const lengthLimit = "bytes through sock_sendmsg / sock_recvmsg: what the caller passed and got, TCP sockets only"

// Hooks: TCP's send and receive-copy functions, else the socket layer's
// length tracepoints (6.3+).
var Hooks = []attach.Hook{{
	Name: "TCP send and receive",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Fentry, Target: "tcp_sendmsg", Program: "fentry_sendmsg"},
			{Kind: attach.Fentry, Target: "tcp_cleanup_rbuf", Program: "fentry_cleanup_rbuf"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "tcp_sendmsg", Program: "kprobe_sendmsg"},
			{Kind: attach.Kprobe, Target: "tcp_cleanup_rbuf", Program: "kprobe_cleanup_rbuf"},
		}},
		{Attach: lengths(attach.TPBTF, "btf"), Limits: lengthLimit},
		{Attach: lengths(attach.RawTracepoint, "raw"), Limits: lengthLimit},
		{Attach: lengths(attach.Tracepoint, "tp"), Limits: lengthLimit},
	},
}}

func lengths(k attach.Kind, prefix string) []attach.Attachment {
	group := ""
	if k == attach.Tracepoint {
		group = "sock"
	}
	return []attach.Attachment{
		{Kind: k, Group: group, Target: "sock_send_length", Program: prefix + "_send_length"},
		{Kind: k, Group: group, Target: "sock_recv_length", Program: prefix + "_recv_length"},
	}
}

// flowEntries, when not 0, sizes the flows map: a test's way to fill it.
var flowEntries uint32

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadTcptop()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events") // only maps are filled
	delete(s.Maps, "lost_events")
	if m, ok := s.Maps["flows"]; ok && flowEntries > 0 {
		m.MaxEntries = flowEntries
	}
	return s, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	flows := obj.Map("flows")
	if flows == nil {
		return fmt.Errorf("internal: BPF object has no flows map")
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "flows", What: "sends and receives"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	p.clear = !cfg.noClear && !cfg.json && stream.Colour(inv.Stdout)
	return summary.Run(ctx, summary.Options[flow]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]flow, error) { return drain(flows) },
		Write: func(b *bytes.Buffer, fs []flow, d []loader.Dropped) {
			p.summary(b, fs, d, loadavg())
		},
	})
}

// loadavg is /proc/loadavg's line, without its newline.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
