package threadsnoop

import (
	"context"
	"fmt"

	bpfobj "github.com/probebox/probebox/bpfobj/threadsnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/uprobes"
)

func init() { applet.Register(Applet) }

// Applet is threadsnoop's registration.
var Applet = &applet.Applet{
	Name:    "threadsnoop",
	Needs:   []applet.Need{{Feature: "uprobes", For: "new threads (uprobe on pthread_create in the C library)"}},
	Summary: "Trace thread creation via pthread_create(), with the start function",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this process only (its own C library, through /proc/PID/root)"},
		{Short: "n", Long: "name", Kind: applet.String, Meta: "NAME", Usage: "trace processes whose name contains NAME"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace processes in this cgroup v2 directory only"},
		{Short: "l", Long: "lib", Kind: applet.String, Meta: "PATH", Usage: "the C library (or libpthread) to probe; default: found as the dynamic loader finds it"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"threadsnoop", "trace new threads"},
		{"threadsnoop -p 181", "trace new threads of PID 181 only"},
		{"threadsnoop -n java", "trace new threads of processes named *java*"},
		{"threadsnoop --json", "one JSON object per line"},
	},
	Traces: true, // uprobes on a library: no kernel Hooks to declare
	Run:    run,
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	lib, sym, err := findPthreadCreate(cfg)
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadThreadsnoop, Programs: []string{"uprobe_pthread_create"},
		Consts: cfg.consts(), BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	if _, err := uprobes.Attach(obj, lib, cfg.pid, []uprobes.Probe{{Symbol: sym, Program: "uprobe_pthread_create"}}); err != nil {
		return err
	}
	if v := inv.VerboseWriter(); v != nil {
		fmt.Fprintf(v, "%s: uprobe %s:%s (threads made by other means, such as clone() without the C library, are not seen)\n", inv.Name, lib, sym)
	}
	p := newPrinter(cfg, syms.NewUserSymbols())
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

// findPthreadCreate finds the library that defines pthread_create: the C
// library since glibc 2.34 (and musl), libpthread before.
func findPthreadCreate(cfg *config) (path, sym string, err error) {
	const fn = "pthread_create"
	if cfg.lib != "" {
		path, err = uprobes.FindLibrary(cfg.lib, cfg.pid)
		if err != nil {
			return "", "", err
		}
		if !uprobes.HasFunction(path, fn) {
			return "", "", applet.Usagef("%s has no function %s", cfg.lib, fn)
		}
		return path, fn, nil
	}
	var tried []string
	for _, name := range []string{"c", "pthread"} {
		p, err := uprobes.FindLibrary(name, cfg.pid)
		if err != nil {
			tried = append(tried, err.Error())
			continue
		}
		if uprobes.HasFunction(p, fn) {
			return p, fn, nil
		}
		tried = append(tried, p+" has no "+fn)
	}
	return "", "", fmt.Errorf("no C library with %s found (%v); name one with -l", fn, tried)
}
