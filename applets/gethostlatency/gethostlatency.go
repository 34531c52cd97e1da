package gethostlatency

import (
	"context"
	"fmt"
	"strings"

	bpfobj "github.com/probebox/probebox/bpfobj/gethostlatency"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/uprobes"
)

func init() { applet.Register(Applet) }

// Applet is gethostlatency's registration.
var Applet = &applet.Applet{
	Name:    "gethostlatency",
	Needs:   []applet.Need{{Feature: "uprobes", For: "name lookups (uprobes on getaddrinfo, gethostbyname in the C library)"}},
	Summary: "Show latency of name lookups (getaddrinfo, gethostbyname) through the C library",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this process only (its own C library, through /proc/PID/root)"},
		{Short: "l", Long: "libc", Kind: applet.String, Meta: "LIBC", Usage: "the C library to probe; default: found as the dynamic loader finds it"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"gethostlatency", "time getaddrinfo/gethostbyname[2] calls"},
		{"gethostlatency -p 1216", "only trace PID 1216"},
		{"gethostlatency -l /usr/lib64/libc.so.6", "probe this C library"},
		{"gethostlatency --json", "one JSON object per line"},
	},
	Traces: true, // uprobes on a library: no kernel Hooks to declare
	Run:    run,
}

// probes are the lookup functions; bcc and libbpf-tools probe the same
// three. A C library without gethostbyname2 (some musl builds) is fine.
var probes = []uprobes.Probe{
	{Symbol: "getaddrinfo", Program: "uprobe_getaddrinfo"},
	{Symbol: "getaddrinfo", Program: "uretprobe_lookup", Return: true},
	{Symbol: "gethostbyname", Program: "uprobe_gethostbyname", Optional: true},
	{Symbol: "gethostbyname", Program: "uretprobe_lookup", Return: true, Optional: true},
	{Symbol: "gethostbyname2", Program: "uprobe_gethostbyname2", Optional: true},
	{Symbol: "gethostbyname2", Program: "uretprobe_lookup", Return: true, Optional: true},
}

// programs are the object's programs.
var programs = []string{"uprobe_getaddrinfo", "uprobe_gethostbyname", "uprobe_gethostbyname2", "uretprobe_lookup"}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	name := cfg.libc
	if name == "" {
		name = "c"
	}
	lib, err := uprobes.FindLibrary(name, cfg.pid)
	if err != nil {
		return err
	}
	if !uprobes.HasFunction(lib, "getaddrinfo") {
		return applet.Usagef("%s has no function getaddrinfo: not a C library (name one with -l)", lib)
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadGethostlatency, Programs: programs,
		Consts: cfg.consts(), BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	// Return probes go first (the order of probes): an entry whose
	// return is not probed yet would stay in the map.
	done, err := uprobes.Attach(obj, lib, cfg.pid, returnsFirst(probes))
	if err != nil {
		return err
	}
	if v := inv.VerboseWriter(); v != nil {
		var fns []string
		for _, p := range done {
			if !p.Return {
				fns = append(fns, p.Symbol)
			}
		}
		fmt.Fprintf(v, "%s: uprobes and uretprobes on %s in %s (lookups that bypass the C library, such as Go's own resolver or systemd-resolved's D-Bus API, are not seen)\n", inv.Name, strings.Join(fns, ", "), lib)
	}
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "starts", What: "lookups"})
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

func returnsFirst(ps []uprobes.Probe) []uprobes.Probe {
	var out []uprobes.Probe
	for _, want := range []bool{true, false} {
		for _, p := range ps {
			if p.Return == want {
				out = append(out, p)
			}
		}
	}
	return out
}
