// Package tcpaccept traces TCP connections accepted by processes: who
// accepted, from which remote address and port, on which local one, as
// bcc's tcpaccept prints them.
//
// --json prints one object per accept:
//
//	timestamp_ns  CLOCK_MONOTONIC time of the accept
//	time          local time "HH:MM:SS" (only with -T)
//	time_s        seconds since the first event (only with -t)
//	pid, tid, comm  the accepting task
//	ip            4 or 6
//	raddr, rport  the remote end (the connecting peer)
//	laddr, lport  the local end (the listening address and port)
package tcpaccept

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/tcpaccept"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is tcpaccept's registration.
var Applet = &applet.Applet{
	Name:    "tcpaccept",
	Summary: "Trace TCP accepts",
	Flags: []applet.Flag{
		{Short: "T", Long: "time", Usage: "include time column on output (HH:MM:SS)"},
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "P", Long: "port", Kind: applet.String, Meta: "PORTS", Usage: "comma-separated list of local ports to trace"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcpaccept", "trace all TCP accept()s"},
		{"tcpaccept -t", "include timestamps"},
		{"tcpaccept -T", "include time (HH:MM:SS)"},
		{"tcpaccept -P 80,81", "only trace port 80 and 81"},
		{"tcpaccept -p 181", "only trace PID 181"},
		{"tcpaccept -c CG", "only trace processes under cgroup v2 path CG"},
		{"tcpaccept -4", "trace IPv4 family"},
		{"tcpaccept -6", "trace IPv6 family"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the return of inet_csk_accept (fexit, else kretprobe), where the
// new socket is at hand; else the accept syscalls' exits, which find the
// socket behind the returned fd.
var Hooks = []attach.Hook{{
	Name: "TCP accept",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{{Kind: attach.Fexit, Target: "inet_csk_accept", Program: "fexit_accept"}}},
		{Attach: []attach.Attachment{{Kind: attach.Kretprobe, Target: "inet_csk_accept", Program: "kretprobe_accept"}}},
		{
			Attach: []attach.Attachment{
				// accept(2) does not exist on arm64, only accept4(2)
				{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_accept", Program: "tp_exit_accept", Optional: true},
				{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_accept4", Program: "tp_exit_accept4"},
			},
			Limits: "accepts made through io_uring are not seen",
		},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadTcpaccept, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	p := newPrinter(cfg)
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
