// Package tcpconnect traces active TCP connections: each connect() that
// sent a SYN, with its process and addresses, or (-c) a count per address
// pair and port printed at Ctrl-C, as libbpf-tools' tcpconnect does. -L
// adds bcc's LPORT column, -4/-6 bcc's family filters.
//
// --json prints one object per connect:
//
//	timestamp_ns  CLOCK_MONOTONIC time of the connect
//	time_s        seconds since the first event (only with -t)
//	pid, tid, uid, comm
//	ip            4 or 6
//	saddr, daddr  source and destination address ("127.0.0.1", "::1")
//	lport         local (source) port (only with -L or -s)
//	dport         destination port
//
// With -c, one object per flow at Ctrl-C: ip, saddr, daddr, lport (with
// -s), dport, connects.
package tcpconnect

import (
	"context"
	"fmt"
	"io"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpconnect"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is tcpconnect's registration.
var Applet = &applet.Applet{
	Name:    "tcpconnect",
	Summary: "Count/Trace active tcp connections",
	Flags: []applet.Flag{
		{Short: "c", Long: "count", Usage: "count connects per src ip and dst ip/port"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process PID to trace"},
		{Short: "P", Long: "port", Kind: applet.String, Meta: "PORTS", Usage: "comma-separated list of destination ports to trace"},
		{Short: "s", Long: "source-port", Usage: "consider source port when counting (and print it)"},
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "u", Long: "uid", Kind: applet.Int, Meta: "UID", Usage: "process UID to trace", Default: "-1"},
		{Short: "U", Long: "print-uid", Usage: "include UID on output"},
		{Short: "L", Long: "lport", Usage: "include LPORT on output"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		{Short: "C", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpconnect", "trace all TCP connect()s"},
		{"tcpconnect -t", "include timestamps"},
		{"tcpconnect -p 181", "only trace PID 181"},
		{"tcpconnect -P 80", "only trace port 80"},
		{"tcpconnect -P 80,81", "only trace port 80 and 81"},
		{"tcpconnect -4", "only trace IPv4 family"},
		{"tcpconnect -6", "only trace IPv6 family"},
		{"tcpconnect -U", "include UID"},
		{"tcpconnect -u 1000", "only trace UID 1000"},
		{"tcpconnect -c", "count connects per src, dest, port"},
		{"tcpconnect -cs", "count connects per src, src port, dest, port"},
		{"tcpconnect -L", "include LPORT while printing outputs"},
		{"tcpconnect -C CG", "only trace processes under cgroup v2 path CG"},
	},
	Hooks: Hooks,
	Run:   run,
}

// stateLimit is what the inet_sock_set_state candidates cannot do as well
// as the function hooks.
const stateLimit = "with -L/-s, a connect is reported when connect() returns or the handshake ends, not when the SYN leaves"

// Hooks: after tcp_v4_connect/tcp_v6_connect (fexit reads the socket and
// the result at once; kprobe + kretprobe stash the socket per thread),
// else the change to SYN_SENT that those functions make in the connecting
// task, with connect()'s return to learn the local port.
var Hooks = []attach.Hook{{
	Name: "TCP connect",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Fexit, Target: "tcp_v4_connect", Program: "fexit_v4_connect"},
			{Kind: attach.Fexit, Target: "tcp_v6_connect", Program: "fexit_v6_connect", Optional: true},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "tcp_v4_connect", Program: "kprobe_v4_connect"},
			{Kind: attach.Kretprobe, Target: "tcp_v4_connect", Program: "kretprobe_v4_connect"},
			{Kind: attach.Kprobe, Target: "tcp_v6_connect", Program: "kprobe_v6_connect", Optional: true},
			{Kind: attach.Kretprobe, Target: "tcp_v6_connect", Program: "kretprobe_v6_connect", Optional: true},
		}},
		{Attach: stateHook(attach.TPBTF, "btf_set_state"), Limits: stateLimit},
		{Attach: stateHook(attach.RawTracepoint, "raw_set_state"), Limits: stateLimit},
		{Attach: stateHook(attach.Tracepoint, "tp_set_state"), Limits: stateLimit},
	},
}}

func stateHook(k attach.Kind, prog string) []attach.Attachment {
	a := attach.Attachment{Kind: k, Target: "inet_sock_set_state", Program: prog}
	if k == attach.Tracepoint {
		a.Group = "sock"
	}
	return []attach.Attachment{a,
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_connect", Program: "tp_exit_connect", Optional: true}}
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
	p := newPrinter(cfg)
	if cfg.count {
		return runCount(ctx, inv, obj, p)
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
	s, err := bpfobj.LoadTcpconnect()
	if err != nil {
		return nil, err
	}
	if m, ok := s.Maps["counts"]; ok && countsEntries > 0 {
		m.MaxEntries = countsEntries
	}
	return s, nil
}

// runCount waits for Ctrl-C, then prints the counts map.
func runCount(ctx context.Context, inv *applet.Invocation, obj *loader.Object, p *printer) error {
	// In count mode nothing is emitted: lost_events counts the connects
	// the full counts map had no room for (finish in tcpconnect.bpf.c).
	full, err := obj.MapFull(loader.Bounded{Counter: "lost_events", Slot: 0, Map: "counts", What: "connects"})
	if err != nil {
		return err
	}
	if p.cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	<-ctx.Done()
	m := obj.Map("counts")
	if m == nil {
		return fmt.Errorf("internal: BPF object has no counts map")
	}
	var (
		flows []flow
		key   = make([]byte, m.KeySize())
		n     uint64
	)
	it := m.Iterate()
	for it.Next(&key, &n) {
		f, err := decodeFlow(key, n)
		if err != nil {
			return err
		}
		flows = append(flows, f)
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading counts: %w", err)
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
