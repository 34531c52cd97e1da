package vfscount

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/vfscount"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/vfssys"
)

func init() { applet.Register(Applet) }

// Applet is vfscount's registration.
var Applet = &applet.Applet{
	Name:    "vfscount",
	Summary: "Count VFS calls (vfs_*) by function",
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "count this process only (in the kernel; not in bcc)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"vfscount", "count VFS calls until Ctrl-C"},
		{"vfscount -p 181", "count PID 181's VFS calls only"},
		{"vfscount --json", "one JSON object at Ctrl-C"},
	},
	Hooks: Hooks,
	Run:   run,
}

// functions are the vfs functions counted; the stand-in keys a function by
// its index here, from 1.
var functions = []string{
	"vfs_read", "vfs_readv", "vfs_write", "vfs_writev", "vfs_open", "vfs_create", "vfs_fsync_range",
	"vfs_unlink", "vfs_rmdir", "vfs_mkdir", "vfs_rename", "vfs_statx", "vfs_fstat", "vfs_llseek",
	"vfs_fallocate", "vfs_truncate", "vfs_symlink", "vfs_link", "vfs_readlink", "vfs_mknod",
}

// sysTable is the stand-in's table (core/vfssys): a system call counts
// under the function it leads to, by its index in functions from 1.
func sysTable() [vfssys.MaxSyscall]vfssys.Entry {
	return vfssys.Table(func(fn string) (uint8, bool) {
		i := slices.Index(functions, fn)
		return uint8(i + 1), i >= 0
	})
}

// StandInLimits says what the stand-in counts instead of function calls.
const StandInLimits = "counts system calls under the vfs function they lead to, not the functions run: " +
	"calls that fail before reaching it count too, opens with O_CREAT count as vfs_create whether or not they create, " +
	"and in-kernel callers (nfsd, overlayfs, io_uring, exec) are not seen; only these functions are shown"

// Hooks: a kprobe on each vfs function, else the system calls.
var Hooks = []attach.Hook{{
	Name:       "vfs functions",
	Candidates: append([]attach.Candidate{{Attach: kprobes()}}, vfssys.Candidates(StandInLimits)...),
}}

func kprobes() []attach.Attachment {
	out := make([]attach.Attachment, len(functions))
	for i, f := range functions {
		out[i] = attach.Attachment{Kind: attach.Kprobe, Target: f, Program: "kprobe_vfs", Optional: f != "vfs_read"}
	}
	return out
}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadVfscount()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "counts", What: "VFS calls"}}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	// Kernel symbols (some 200,000 lines) load while the BPF does.
	type kernelSyms struct {
		k   *syms.KernelSymbols
		err error
	}
	symsDone := make(chan kernelSyms, 1)
	go func() {
		k, err := syms.LoadKernel()
		symsDone <- kernelSyms{k, err}
	}()
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, Consts: cfg.consts(),
		BTF: cfg.btf, Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	counts := obj.Map("counts")
	if counts == nil {
		return fmt.Errorf("internal: BPF object has no counts map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	// A run that ended before it started tracing (its reader went away,
	// Ctrl-C during start-up) has counted nothing: it ends at once.
	var ks kernelSyms
	select {
	case ks = <-symsDone:
	case <-ctx.Done():
		return nil
	}
	ksyms := ks.k
	if ks.err != nil && cfg.verbose {
		fmt.Fprintf(inv.Stderr, "%s: no kernel symbols (%v): addresses print as 0\n", inv.Name, ks.err)
	}
	if !cfg.json {
		io.WriteString(inv.Stdout, "Tracing... Ctrl-C to end.\n")
	}
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	return interval.Run(ctx, 0, 0, func(bool) error {
		keys, err := summary.Drain(counts, keySize, 8, decode)
		if err != nil {
			return err
		}
		dropped, err := full.Take()
		if err != nil {
			return err
		}
		loader.Report(inv.Stderr, inv.Name, dropped)
		_, err = inv.Stdout.Write(format(nil, resolve(keys, ksyms), cfg.json, dropped))
		return err
	})
}
