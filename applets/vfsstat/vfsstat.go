package vfsstat

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/vfsstat"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/vfssys"
)

func init() { applet.Register(Applet) }

// Applet is vfsstat's registration.
var Applet = &applet.Applet{
	Name:    "vfsstat",
	Summary: "Count some VFS calls, per second",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 1)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "count this process only (in the kernel; not in libbpf-tools)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"vfsstat", "print a summary every second"},
		{"vfsstat 5 10", "print 5 second summaries, 10 times"},
		{"vfsstat -p 181", "count PID 181's calls only"},
		{"vfsstat --json 1 3", "three JSON objects, one per second"},
	},
	Hooks: Hooks,
	Run:   run,
}

// columns are libbpf-tools' column names, in the order of the BPF slots
// (bpfobj/vfsstat/vfsstat.h).
var columns = []string{"READ", "WRITE", "FSYNC", "OPEN", "CREATE", "UNLINK", "MKDIR", "RMDIR"}

// functions are the vfs functions libbpf-tools traces, one a column.
var functions = []string{"vfs_read", "vfs_write", "vfs_fsync_range", "vfs_open", "vfs_create", "vfs_unlink", "vfs_mkdir", "vfs_rmdir"}

// sysTable is the stand-in's table (core/vfssys): a system call counts in
// the column of the function it leads to; the vectored calls count with
// the plain ones (vfs_readv as READ), and a column-less function
// (vfs_mknod of a device) not at all.
func sysTable() [vfssys.MaxSyscall]vfssys.Entry {
	return vfssys.Table(func(fn string) (uint8, bool) {
		switch fn {
		case "vfs_readv":
			fn = "vfs_read"
		case "vfs_writev":
			fn = "vfs_write"
		}
		i := slices.Index(functions, fn)
		return uint8(i), i >= 0
	})
}

// StandInLimits says what the syscall stand-in counts instead.
const StandInLimits = "counts system calls, not VFS operations: READ/WRITE are read/write-family calls " +
	"(any fd, failed ones too), OPEN is open/openat/openat2/creat, CREATE is creat, mknod of regular files and opens with O_CREAT " +
	"(whether or not they created the file), UNLINK/RMDIR are unlink/unlinkat/rmdir calls; " +
	"in-kernel users of the vfs functions (nfsd, overlayfs, io_uring) are not seen"

// Hooks: the vfs functions (fentry, else kprobe), else the system calls.
var Hooks = []attach.Hook{{
	Name: "VFS calls",
	Candidates: append([]attach.Candidate{
		{Attach: vfsAttach(attach.Fentry, "fentry_")},
		{Attach: vfsAttach(attach.Kprobe, "kprobe_")},
	}, vfssys.Candidates(StandInLimits)...),
}}

func vfsAttach(kind attach.Kind, prefix string) []attach.Attachment {
	out := make([]attach.Attachment, len(functions))
	for i, f := range functions {
		out[i] = attach.Attachment{Kind: kind, Target: f, Program: prefix + f}
	}
	return out
}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadVfsstat()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

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
	stats := obj.Map("stats")
	if stats == nil {
		return fmt.Errorf("internal: BPF object has no stats map")
	}
	if !cfg.json {
		io.WriteString(inv.Stdout, header())
	}
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	last := time.Now()
	return interval.Run(ctx, cfg.every, cfg.count, func(bool) error {
		counts, err := drain(stats)
		if err != nil {
			return err
		}
		now := time.Now()
		_, err = inv.Stdout.Write(format(nil, cfg, now, now.Sub(last), counts))
		last = now
		return err
	})
}

// drain sums each slot over the CPUs and zeroes it.
func drain(m *ebpf.Map) ([]uint64, error) {
	out := make([]uint64, len(columns))
	zero := make([]uint64, ebpf.MustPossibleCPU())
	for i := range out {
		var perCPU []uint64
		if err := m.Lookup(uint32(i), &perCPU); err != nil {
			return nil, fmt.Errorf("reading counters: %w", err)
		}
		for _, n := range perCPU {
			out[i] += n
		}
		if err := m.Update(uint32(i), zero, ebpf.UpdateAny); err != nil {
			return nil, fmt.Errorf("clearing counters: %w", err)
		}
	}
	return out, nil
}
