// Package biolatency summarizes block device I/O latency as log2
// histograms printed at each interval or at Ctrl-C, as libbpf-tools'
// biolatency does. The histograms live in a BPF map; only they are copied
// out.
//
// --json prints one object per summary:
//
//	summary     1-based number of the summary
//	time        local time "HH:MM:SS" (only with -T)
//	histograms  list, sorted by disk then flags, of:
//	  disk      disk name (with -D; "Unknown" when gone)
//	  flags     I/O flags name, as -F prints it ("Sync-Write")
//	  unit      "usecs" or "msecs" (-m)
//	  buckets   [{"low","high","count"}], log2 slots up to the last non-empty one
//	not_counted {"hists": N, "starts": N}: requests of the interval that
//	            full maps kept out of the histograms (hists had no room for a
//	            new -D/-F key: raise --max-keys; starts, of 16384 requests in
//	            flight, had no room for one); also said on stderr
//
// Without -D/-F the list holds one histogram, or none when no I/O
// completed. -c and -d apply when a request is issued (or inserted, with
// -Q): -c tests the task doing that, which may be a kernel worker.
package biolatency

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/biolatency"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
)

func init() { applet.Register(Applet) }

// Applet is biolatency's registration.
var Applet = &applet.Applet{
	Name:    "biolatency",
	Summary: "Summarize block device I/O latency as a histogram",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default: one summary at Ctrl-C)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "include timestamp on output"},
		{Short: "m", Long: "milliseconds", Usage: "millisecond histogram"},
		{Short: "Q", Long: "queued", Usage: "include OS queued time in I/O time"},
		{Short: "D", Long: "disks", Usage: "print a histogram per disk device"},
		{Short: "F", Long: "flags", Usage: "print a histogram per set of I/O flags"},
		{Short: "d", Long: "disk", Kind: applet.String, Meta: "DISK", Usage: "trace this disk only (in the kernel)"},
		{Short: "c", Long: "cgroup", Kind: applet.String, Meta: "PATH", Usage: "trace I/O issued by processes in this cgroup v2 directory only"},
		{Long: "max-keys", Kind: applet.Int, Meta: "N", Usage: fmt.Sprintf("histograms kept per interval (with -D, -F), %d-%d", minKeys, maxKeys), Default: strconv.Itoa(defaultKeys)},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"biolatency", "summarize block I/O latency as a histogram"},
		{"biolatency 1 10", "print 1 second summaries, 10 times"},
		{"biolatency -mT 1", "1s summaries, milliseconds, and timestamps"},
		{"biolatency -Q", "include OS queued time in I/O time"},
		{"biolatency -D", "show each disk device separately"},
		{"biolatency -F", "show I/O flags separately"},
		{"biolatency -d sdc", "trace sdc only"},
		{"biolatency -c CG", "trace I/O issued under cgroup v2 path CG"},
		{"biolatency --json 5", "one JSON object per 5 second summary"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: the block request tracepoints, used together (insert only counts
// with -Q). tracefs tracepoints come last: they do not show the request.
var Hooks = []attach.Hook{{
	Name: "block I/O",
	Candidates: []attach.Candidate{
		{Attach: blockAttach(attach.TPBTF, "", "btf_")},
		{Attach: blockAttach(attach.RawTracepoint, "", "raw_")},
		{Attach: blockAttach(attach.Tracepoint, "block", "tp_"),
			Limits: "requests are matched by disk and sector; -F sees only the flags in the tracepoint's rwbs"},
	},
}}

func blockAttach(kind attach.Kind, group, prefix string) []attach.Attachment {
	return []attach.Attachment{
		{Kind: kind, Group: group, Target: "block_rq_insert", Program: prefix + "rq_insert"},
		{Kind: kind, Group: group, Target: "block_rq_issue", Program: prefix + "rq_issue"},
		{Kind: kind, Group: group, Target: "block_rq_complete", Program: prefix + "rq_complete"},
	}
}

// startsEntries, when not 0, sizes the map of requests in flight: a
// test's way to fill it.
var startsEntries uint32

// spec is the embedded object without the shared event buffer: biolatency
// only fills maps. The hists map is sized by --max-keys.
func spec(keys int) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadBiolatency()
		if err != nil {
			return nil, err
		}
		delete(s.Maps, "events")
		delete(s.Maps, "lost_events")
		if m, ok := s.Maps["hists"]; ok {
			m.MaxEntries = uint32(keys)
		}
		if m, ok := s.Maps["starts"]; ok && startsEntries > 0 {
			m.MaxEntries = startsEntries
		}
		return s, nil
	}
}

// bounded are the maps whose refusals the BPF side counts in map_full
// (slots BIOLATENCY_FULL_* in bpfobj/include/biolatency.h).
func bounded(cfg *config) []loader.Bounded {
	hint := ""
	if cfg.perDisk || cfg.perFlag {
		hint = "raise --max-keys" // the one key of an unsplit histogram always fits
	}
	return []loader.Bounded{
		{Counter: "map_full", Slot: 0, Map: "hists", What: "I/O requests", Hint: hint},
		{Counter: "map_full", Slot: 1, Map: "starts", What: "I/O requests"},
	}
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
		Tool:    inv.Name,
		Spec:    spec(cfg.maxKeys),
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
	hists := obj.Map("hists")
	if hists == nil {
		return fmt.Errorf("internal: BPF object has no hists map")
	}
	full, err := obj.MapFull(bounded(cfg)...)
	if err != nil {
		return err
	}

	p := newPrinter(cfg, names.Name, blockdev.FlagsFromBTF(res.Spec))
	return summary.Run(ctx, summary.Options[entry]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: "Tracing block device I/O... Hit Ctrl-C to end.\n", JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]entry, error) { return drain(hists) },
		Write: p.summary,
	})
}
