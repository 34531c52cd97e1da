// Package biosnoop traces block device I/O: one line per completed
// request, with the task that queued it, the disk, operation, sector,
// size and latency, as libbpf-tools' biosnoop prints them.
//
// --json prints one object per I/O:
//
//	timestamp_ns  completion time, CLOCK_MONOTONIC
//	time          local "HH:MM:SS.mmm" (only with -t)
//	time_s        seconds since the first I/O shown (the TIME(s) column)
//	comm, pid     the task that queued the request (pid 0: not known)
//	disk, dev     disk name ("Unknown" when gone) and "major:minor"
//	type          rwbs letters (the T column: "W", "RS", "FWFS"...)
//	flags         biolatency -F's name of the request flags ("Sync-Write")
//	sector, bytes start sector and size
//	que_ns        insert to issue, in ns (only with -Q; -1: insert missed)
//	lat_ns        issue to completion, in ns
//
// Requests the map of requests in flight (16384) had no room for are never
// reported as events; their number is said on stderr ("N I/O requests not
// counted: the requests map of 16384 keys was full") about once a second.
//
// Its ring buffer is 64 KiB per CPU (as libbpf-tools' perf buffers),
// 256 KiB to 1 MiB: a completion is 72 bytes and disks bound their rate,
// and the ring stays resident whole. Events it had no room for are counted
// and said as lost; PROBEBOX_BUFFER_BYTES sets another size.
package biosnoop

import (
	"context"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/biosnoop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stream"
)

func init() { applet.Register(Applet) }

// Applet is biosnoop's registration.
var Applet = &applet.Applet{
	Name:    "biosnoop",
	Summary: "Trace block device I/O with PID and latency",
	Args: []applet.Arg{
		{Name: "duration", Usage: "trace for this many seconds (default: until Ctrl-C)"},
	},
	Flags: []applet.Flag{
		{Short: "Q", Long: "queued", Usage: "include OS queued time (QUE(ms): insert to issue)"},
		{Short: "d", Long: "disk", Kind: applet.String, Meta: "DISK", Usage: "trace this disk only (in the kernel)"},
		{Short: "m", Long: "min", Kind: applet.Int, Meta: "MIN_MS", Usage: "show I/O with latency of at least MIN_MS milliseconds only"},
		{Short: "t", Long: "timestamp", Usage: "include a wall-clock timestamp instead of seconds since the first I/O"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace I/O queued by processes in this cgroup v2 directory only"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"biosnoop", "trace all block I/O"},
		{"biosnoop -Q", "include OS queued time in I/O time"},
		{"biosnoop 10", "trace for 10 seconds only"},
		{"biosnoop -d sdc", "trace sdc only"},
		{"biosnoop -m 10", "show I/O slower than 10 ms only"},
		{"biosnoop -t", "print wall-clock timestamps"},
		{"biosnoop -c CG", "trace I/O of processes under cgroup v2 path CG"},
		{"biosnoop --json", "one JSON object per I/O"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the block request tracepoints, used together. block_io_start
// (6.5+) names the submitting task; without it the task that inserted or
// issued the request is named instead. tracefs tracepoints come last: they
// do not show the request itself.
var Hooks = []attach.Hook{{
	Name: "block I/O",
	Candidates: []attach.Candidate{
		{Attach: blockAttach(attach.TPBTF, "", "btf_")},
		{Attach: blockAttach(attach.RawTracepoint, "", "raw_")},
		{Attach: blockAttach(attach.Tracepoint, "block", "tp_"),
			Limits: "requests are matched by disk and sector; T shows only the flags in the tracepoint's rwbs"},
	},
}}

func blockAttach(kind attach.Kind, group, prefix string) []attach.Attachment {
	return []attach.Attachment{
		{Kind: kind, Group: group, Target: "block_io_start", Program: prefix + "io_start", Optional: true},
		{Kind: kind, Group: group, Target: "block_rq_insert", Program: prefix + "rq_insert"},
		{Kind: kind, Group: group, Target: "block_rq_issue", Program: prefix + "rq_issue"},
		{Kind: kind, Group: group, Target: "block_rq_complete", Program: prefix + "rq_complete"},
	}
}

// requestsEntries, when not 0, sizes the map of requests in flight: a
// test's way to fill it.
var requestsEntries uint32

// spec is the embedded object; its map of requests in flight, whose
// refusals map_full's slot 0 (BIOSNOOP_FULL_REQUESTS) counts, is resized
// by tests only.
func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadBiosnoop()
	if err != nil {
		return nil, err
	}
	if m, ok := s.Maps["requests"]; ok && requestsEntries > 0 {
		m.MaxEntries = requestsEntries
	}
	return s, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	names := blockdev.NewNames()
	cfg, err := newConfig(inv, names.Lookup)
	if err != nil {
		return err
	}
	// The loader resolves the same BTF; here it tells how the kernel
	// numbers cmd_flags and passes block_rq_insert/issue their request.
	res, err := kbtf.Default(cfg.btf).Resolve()
	if err != nil {
		return err
	}
	consts := cfg.consts()
	consts["rq_after_q"] = blockdev.RqAfterQueue(res.Spec)
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, Consts: consts,
		BTF: cfg.btf, Cgroup: cfg.cgroup, Verbose: inv.VerboseWriter(),
		RingBytes: loader.RingPerCPU(64<<10, 256<<10, 1<<20),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	full, err := obj.MapFull(loader.Bounded{Counter: "map_full", Slot: 0, Map: "requests", What: "I/O requests"})
	if err != nil {
		return err
	}
	p := newPrinter(cfg, names.Name, blockdev.FlagsFromBTF(res.Spec))
	var header []byte
	if !cfg.json {
		header = p.header()
	}
	var ev event
	return stream.Run(ctx, obj, stream.Options{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Header: header, Verbose: cfg.verbose, Duration: time.Duration(cfg.durationSec) * time.Second,
		Full: full,
		Format: func(sample []byte) ([]byte, error) {
			if err := ev.decode(sample); err != nil {
				return nil, err
			}
			return p.format(&ev), nil
		},
	})
}
