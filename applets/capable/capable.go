package capable

import (
	"context"
	"os"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/capable"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/syms"
)

func init() { applet.Register(Applet) }

// Applet is capable's registration.
var Applet = &applet.Applet{
	Name:    "capable",
	Summary: "Trace security capability checks (cap_capable())",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this PID only"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		{Short: "x", Long: "extra-fields", Usage: "extra fields: show TID and INSETID columns"},
		{Short: "K", Long: "kernel-stack", Usage: "print the kernel stack of each check"},
		{Short: "U", Long: "user-stack", Usage: "print the user stack of each check"},
		{Short: "u", Long: "unique", Kind: applet.String, Meta: "TYPE", Usage: "print each capability once per TYPE: pid or cgroup (in the kernel)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"capable", "trace capability checks"},
		{"capable -p 185", "trace this PID only"},
		{"capable -c CG", "trace processes under cgroup v2 path CG"},
		{"capable -x", "extra fields: show TID and INSETID columns"},
		{"capable -u pid", "print each capability once per process"},
		{"capable -K", "add kernel stacks to the trace"},
		{"capable -UK", "add user and kernel stacks to the trace"},
		{"capable --json", "one JSON object per line"},
	},
	Hooks: Hooks,
	Run:   run,
}

const optionsHidden = "AUDIT and INSETID are not known (the capability tracepoint does not carry the caller's options)"

// Hooks: kprobes on cap_capable() see the caller's options; the
// capability:cap_capable tracepoint (Linux 6.14+) works without kprobes.
var Hooks = []attach.Hook{{
	Name: "capability check",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "cap_capable", Program: "kprobe_cap_capable"},
			{Kind: attach.Kretprobe, Target: "cap_capable", Program: "kretprobe_cap_capable"},
		}},
		{Attach: []attach.Attachment{{Kind: attach.TPBTF, Target: "cap_capable", Program: "btf_cap_capable"}}, Limits: optionsHidden},
		{Attach: []attach.Attachment{{Kind: attach.RawTracepoint, Target: "cap_capable", Program: "raw_cap_capable"}}, Limits: optionsHidden},
		{Attach: []attach.Attachment{{Kind: attach.Tracepoint, Group: "capability", Target: "cap_capable", Program: "tp_cap_capable"}}, Limits: optionsHidden},
	},
}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	consts := cfg.consts()
	consts["my_pid"] = uint32(os.Getpid())
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name,
		Spec: func() (*ebpf.CollectionSpec, error) {
			s, err := bpfobj.LoadCapable()
			if err == nil && !cfg.kernelStack && !cfg.userStack {
				s.Maps[stacks.StackMap].MaxEntries = 1 // no stacks: no 16 MiB map
			}
			return s, err
		},
		Hooks:   Hooks,
		Consts:  consts,
		BTF:     cfg.btf,
		Cgroup:  cfg.cgroup,
		Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(
		loader.Bounded{Counter: "map_full", Slot: 0, Map: "inflight", What: "capability checks", Hint: "more threads were inside cap_capable() at once than the map holds"},
		loader.Bounded{Counter: "map_full", Slot: 1, Map: "seen", What: "unique capability checks", Hint: "-u saw more (process or cgroup, capability) pairs than the map holds"},
		loader.Bounded{Counter: "map_full", Slot: 2, Map: stacks.StackMap, What: "stacks", Hint: "more distinct stacks than the stack map holds"},
	)
	if err != nil {
		return err
	}
	p := newPrinter(cfg)
	if cfg.kernelStack || cfg.userStack {
		p.stacks = stacks.NewResolver(obj.Map(stacks.StackMap), syms.NewSymbolizer())
	}
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
