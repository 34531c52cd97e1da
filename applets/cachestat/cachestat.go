package cachestat

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/cachestat"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/pagecache"
)

func init() { applet.Register(Applet) }

// Applet is cachestat's registration.
var Applet = &applet.Applet{
	Name:    "cachestat",
	Summary: "Count cache kernel function calls: page cache hits, misses and dirties per interval",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 1)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "T", Long: "timestamp", Usage: "print timestamp"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "count this process only (in the kernel; not in bcc or libbpf-tools)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"cachestat", "show page cache hits and misses every second"},
		{"cachestat 5 10", "5 second summaries, 10 times"},
		{"cachestat -T 1", "1s summaries with timestamps"},
		{"cachestat -p 181", "count PID 181 only"},
	},
	Hooks: Hooks,
	Run:   run,
}

// TracepointLimits: how the tracepoint set counts differently.
const TracepointLimits = "accesses are pages read through the page cache (mm_filemap_get_pages, cut at the file's size) " +
	"and page faults (mm_filemap_fault), not mark_page_accessed calls: readahead pages and reads the peers miss count, " +
	"and a task moving CPU in mid-read can count the rest of its read twice"

// dirtied pages come from a tracepoint in every set: the function is static
// or inlined in many kernels.
var dirtied = []attach.Attachment{
	{Kind: attach.Tracepoint, Group: "writeback", Target: "writeback_dirty_folio", Program: "tp_dirty_folio", Optional: true},
	{Kind: attach.Tracepoint, Group: "writeback", Target: "writeback_dirty_page", Program: "tp_dirty_page", Optional: true},
}

func functionSet(kind attach.Kind, mpa, apcl string, progs [3]string) attach.Candidate {
	return attach.Candidate{Attach: append([]attach.Attachment{
		{Kind: kind, Target: mpa, Program: progs[0]},
		{Kind: kind, Target: apcl, Program: progs[1]},
		{Kind: kind, Target: "mark_buffer_dirty", Program: progs[2]},
	}, dirtied...)}
}

// Hooks: the filemap tracepoints where the kernel has them (6.10+), else
// the functions the peers count, by fentry then kprobe, folio names
// (5.16+) before page names.
var Hooks = []attach.Hook{{
	Name: "page cache",
	Candidates: []attach.Candidate{
		{Attach: append([]attach.Attachment{
			{Kind: attach.TPBTF, Target: "mm_filemap_get_pages", Program: "btf_get_pages"},
			{Kind: attach.TPBTF, Target: "mm_filemap_fault", Program: "btf_fault"},
			{Kind: attach.Tracepoint, Group: "filemap", Target: "mm_filemap_add_to_page_cache", Program: "tp_add_to_page_cache"},
			{Kind: attach.Tracepoint, Group: "block", Target: "block_dirty_buffer", Program: "tp_dirty_buffer"},
		}, dirtied...), Limits: TracepointLimits},
		functionSet(attach.Fentry, "folio_mark_accessed", "filemap_add_folio", [3]string{"fentry_mpa_folio", "fentry_apcl_folio", "fentry_mbd"}),
		functionSet(attach.Fentry, "mark_page_accessed", "add_to_page_cache_lru", [3]string{"fentry_mpa_page", "fentry_apcl_page", "fentry_mbd"}),
		functionSet(attach.Kprobe, "folio_mark_accessed", "filemap_add_folio", [3]string{"kprobe_mpa", "kprobe_apcl", "kprobe_mbd"}),
		functionSet(attach.Kprobe, "mark_page_accessed", "add_to_page_cache_lru", [3]string{"kprobe_mpa", "kprobe_apcl", "kprobe_mbd"}),
	},
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadCachestat()
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
	counts := obj.Map("counts")
	if counts == nil {
		return fmt.Errorf("internal: BPF object has no counts map")
	}
	if !cfg.json {
		io.WriteString(inv.Stdout, header(cfg.timestamp))
	}
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	return interval.Run(ctx, cfg.every, cfg.count, func(bool) error {
		raw, err := drain(counts)
		if err != nil {
			return err
		}
		buffers, cached := readMeminfo("/proc/meminfo")
		_, err = inv.Stdout.Write(format(nil, cfg, time.Now(), combine(raw), buffers, cached))
		return err
	})
}

// drain sums each counter over the CPUs and zeroes it.
func drain(m *ebpf.Map) ([4]int64, error) {
	c, err := pagecache.Read(m)
	if err != nil {
		return c, err
	}
	return c, pagecache.Clear(m)
}
