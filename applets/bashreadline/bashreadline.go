package bashreadline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	bpfobj "github.com/probebox/probebox/bpfobj/bashreadline"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
	"github.com/probebox/probebox/core/uprobes"
)

func init() { applet.Register(Applet) }

// Applet is bashreadline's registration.
var Applet = &applet.Applet{
	Name:    "bashreadline",
	Needs:   []applet.Need{{Feature: "uprobes", For: "lines read (uretprobe on readline in bash or its libreadline)"}},
	Summary: "Print entered bash commands from all running shells",
	Flags: []applet.Flag{
		{Short: "s", Long: "shared", Kind: applet.String, Meta: "PATH", Usage: "the libreadline bash uses, when bash does not carry its own readline"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this bash only (its own binary, through /proc/PID/root)"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace shells in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"bashreadline", "print commands entered in every bash"},
		{"bashreadline -s /usr/lib64/libreadline.so", "bash links this libreadline"},
		{"bashreadline -p 1216", "only the bash with PID 1216"},
		{"bashreadline --json", "one JSON object per line"},
	},
	Traces: true, // a uretprobe on bash: no kernel Hooks to declare
	Run:    run,
}

// target is where readline() is probed.
type target struct {
	path     string
	onlyBash bool // a shared library: keep bash's calls only
	why      string
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	tg, err := findReadline(cfg)
	if err != nil {
		return err
	}
	consts := cfg.consts()
	consts["only_bash"] = tg.onlyBash
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: bpfobj.LoadBashreadline, Programs: []string{"uretprobe_readline"},
		Consts: consts, BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	if _, err := uprobes.Attach(obj, tg.path, cfg.pid, []uprobes.Probe{{Symbol: "readline", Program: "uretprobe_readline", Return: true}}); err != nil {
		return err
	}
	if v := inv.VerboseWriter(); v != nil {
		fmt.Fprintf(v, "%s: uretprobe on readline in %s (%s)\n", inv.Name, tg.path, tg.why)
	}
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

// findReadline finds the readline() bash calls: -s names a library;
// otherwise bash's own (the process's binary with -p, else /bin/bash or
// bash in PATH), and where bash has none, the libreadline it links.
func findReadline(cfg *config) (target, error) {
	if cfg.shared != "" {
		p, err := uprobes.FindLibrary(cfg.shared, cfg.pid)
		if err != nil {
			return target{}, err
		}
		if !uprobes.HasFunction(p, "readline") {
			return target{}, applet.Usagef("%s has no function readline", cfg.shared)
		}
		return target{path: p, onlyBash: true, why: "-s; bash's calls only"}, nil
	}
	bash, err := findBash(cfg.pid)
	if err != nil {
		return target{}, err
	}
	if uprobes.HasFunction(bash, "readline") {
		return target{path: bash, why: "bash's own readline"}, nil
	}
	if lib := uprobes.NeededLibrary(bash, "libreadline", cfg.pid); lib != "" {
		return target{path: lib, onlyBash: true, why: "the libreadline " + bash + " links; bash's calls only"}, nil
	}
	return target{}, fmt.Errorf("%s has no readline function and links no libreadline: name the library with -s", bash)
}

func findBash(pid int) (string, error) {
	if pid > 0 {
		exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
		if err != nil {
			return "", applet.Usagef("no process %d (or its binary cannot be read: %v)", pid, err)
		}
		return uprobes.Root(pid) + exe, nil
	}
	if _, err := os.Stat("/bin/bash"); err == nil {
		return "/bin/bash", nil
	}
	if p, err := exec.LookPath("bash"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("bash is not installed here (no /bin/bash, none in PATH): nothing to trace")
}
