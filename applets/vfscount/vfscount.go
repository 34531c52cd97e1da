package vfscount

import (
	"context"
	"fmt"
	"io"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/vfscount"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/syms"
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

// functions are the vfs functions counted, in the order of the stand-in's
// VC_* indexes (bpfobj/vfscount/vfscount.h).
var functions = []string{
	"vfs_read", "vfs_readv", "vfs_write", "vfs_writev", "vfs_open", "vfs_create", "vfs_fsync_range",
	"vfs_unlink", "vfs_rmdir", "vfs_mkdir", "vfs_rename", "vfs_statx", "vfs_fstat", "vfs_llseek",
	"vfs_fallocate", "vfs_truncate", "vfs_symlink", "vfs_link", "vfs_readlink", "vfs_mknod",
}

// standIn: the system calls counted under the function they lead to.
var standIn = []string{
	"read", "pread64", "readv", "preadv", "preadv2", "write", "pwrite64", "writev", "pwritev", "pwritev2",
	"fsync", "fdatasync", "rmdir", "unlink", "mkdir", "mkdirat", "rename", "renameat", "renameat2",
	"newstat", "newlstat", "newfstatat", "statx", "newfstat", "lseek", "fallocate", "truncate",
	"symlink", "symlinkat", "link", "linkat", "readlink", "readlinkat", "mknod", "mknodat",
	"open", "openat", "openat2", "creat", "unlinkat",
}

// StandInLimits says what the stand-in counts instead of function calls.
const StandInLimits = "counts system calls under the vfs function they lead to, not the functions run: " +
	"calls that fail before reaching it count too, opens with O_CREAT count as vfs_create whether or not they create, " +
	"and in-kernel callers (nfsd, overlayfs, io_uring, exec) are not seen; only these functions are shown"

// Hooks: a kprobe on each vfs function, else the system calls.
var Hooks = []attach.Hook{{
	Name: "vfs functions",
	Candidates: []attach.Candidate{
		{Attach: kprobes()},
		{Attach: tracepoints(), Limits: StandInLimits},
	},
}}

func kprobes() []attach.Attachment {
	out := make([]attach.Attachment, len(functions))
	for i, f := range functions {
		out[i] = attach.Attachment{Kind: attach.Kprobe, Target: f, Program: "kprobe_vfs", Optional: f != "vfs_read"}
	}
	return out
}

func tracepoints() []attach.Attachment {
	out := make([]attach.Attachment, len(standIn))
	for i, s := range standIn {
		out[i] = attach.Attachment{Kind: attach.Tracepoint, Group: "syscalls", Target: "sys_enter_" + s, Program: "tp_" + s,
			Optional: s != "read" && s != "write" && s != "openat"}
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
	ksyms, kerr := syms.LoadKernel()
	if kerr != nil && cfg.verbose {
		fmt.Fprintf(inv.Stderr, "%s: no kernel symbols (%v): addresses print as 0\n", inv.Name, kerr)
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
