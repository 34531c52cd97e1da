package tcptracer

import (
	"context"

	bpfobj "github.com/probebox/probebox/bpfobj/tcptracer"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is tcptracer's registration.
var Applet = &applet.Applet{
	Name:    "tcptracer",
	Summary: "Trace TCP connect, accept and close",
	Flags: []applet.Flag{
		{Short: "t", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "U", Long: "print-uid", Usage: "include UID on output"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace"},
		{Short: "u", Long: "uid", Kind: applet.Int, Meta: "UID", Usage: "process UID to trace", Default: "-1"},
		{Short: "N", Long: "netns", Kind: applet.String, Meta: "NETNS", Usage: "trace this network namespace only (inode number)"},
		{Short: "4", Long: "ipv4", Usage: "trace IPv4 family only"},
		{Short: "6", Long: "ipv6", Usage: "trace IPv6 family only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"tcptracer", "trace all TCP connect, accept and close"},
		{"tcptracer -t", "include timestamps"},
		{"tcptracer -p 181", "only trace PID 181"},
		{"tcptracer -U", "include UID"},
		{"tcptracer -u 1000", "only trace UID 1000"},
		{"tcptracer -N 4026531840", "only trace network namespace 4026531840"},
	},
	Hooks: Hooks,
	Run:   run,
}

const stateLimit = "accepts seen at accept()/accept4()'s return; closes seen as the state changes close() makes (ESTABLISHED -> FIN_WAIT1 or CLOSE, CLOSE_WAIT -> LAST_ACK or CLOSE), where a reset received also counts"

func accepts() []attach.Attachment {
	return []attach.Attachment{
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_accept4", Program: "tp_exit_accept4"},
		{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_exit_accept", Program: "tp_exit_accept", Optional: true},
	}
}

// Hooks: connects always from the state changes (SYN_SENT recorded in
// connect(), reported at ESTABLISHED); accepts and closes from
// inet_csk_accept's return and tcp_close where those can be probed,
// else from the accept syscalls and close's state changes.
var Hooks = []attach.Hook{{
	Name: "TCP connect, accept, close",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.TPBTF, Target: "inet_sock_set_state", Program: "btf_state_connect"},
			{Kind: attach.Fexit, Target: "inet_csk_accept", Program: "fexit_accept"},
			{Kind: attach.Fentry, Target: "tcp_close", Program: "fentry_close"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.TPBTF, Target: "inet_sock_set_state", Program: "btf_state_connect"},
			{Kind: attach.Kretprobe, Target: "inet_csk_accept", Program: "kretprobe_accept"},
			{Kind: attach.Kprobe, Target: "tcp_close", Program: "kprobe_close"},
		}},
		{Attach: append([]attach.Attachment{{Kind: attach.TPBTF, Target: "inet_sock_set_state", Program: "btf_set_state"}}, accepts()...), Limits: stateLimit},
		{Attach: append([]attach.Attachment{{Kind: attach.RawTracepoint, Target: "inet_sock_set_state", Program: "raw_set_state"}}, accepts()...), Limits: stateLimit},
		{Attach: append([]attach.Attachment{{Kind: attach.Tracepoint, Group: "sock", Target: "inet_sock_set_state", Program: "tp_set_state"}}, accepts()...), Limits: stateLimit},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadTcptracer, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "connecting", What: "connects"})
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
