package readahead

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/readahead"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/hist"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/output"
)

func init() { applet.Register(Applet) }

// Applet is readahead's registration.
var Applet = &applet.Applet{
	Name:    "readahead",
	Summary: "Show fs automatic read-ahead usage: pages used and unused, and how long until used",
	Flags: []applet.Flag{
		{Short: "d", Long: "duration", Kind: applet.Int, Meta: "DURATION", Usage: "duration to trace, in seconds (default: until Ctrl-C)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"readahead", "summarize on-disk read-ahead usage until Ctrl-C"},
		{"readahead -d 10", "trace for 10 seconds only"},
	},
	Hooks: Hooks,
	Run:   run,
}

// TracepointLimits: how the tracepoint set finds uses.
const TracepointLimits = "a folio is used when a read's range (up to 256 pages a call) or a fault starts at its first page; " +
	"reads starting inside a large folio do not count it"

func tp(group, target, prog string) attach.Attachment {
	return attach.Attachment{Kind: attach.Tracepoint, Group: group, Target: target, Program: prog}
}

// Hooks: readahead and filemap tracepoints (6.10+), else libbpf-tools'
// functions by fentry/fexit, then kprobe/kretprobe (the read-ahead entry
// points page_cache_ra_unbounded/_order for its do_page_cache_ra, which
// some kernels inline).
var Hooks = []attach.Hook{{
	Name: "readahead",
	Candidates: []attach.Candidate{
		{Attach: []attach.Attachment{
			tp("readahead", "page_cache_ra_unbounded", "tp_ra_unbounded"),
			tp("readahead", "page_cache_ra_order", "tp_ra_order"),
			tp("filemap", "mm_filemap_add_to_page_cache", "tp_add_to_page_cache"),
			tp("filemap", "mm_filemap_get_pages", "tp_get_pages"),
			tp("filemap", "mm_filemap_fault", "tp_fault"),
		}, Limits: TracepointLimits},
		{Attach: []attach.Attachment{
			{Kind: attach.Fentry, Target: "page_cache_ra_unbounded", Program: "fentry_ra"},
			{Kind: attach.Fexit, Target: "page_cache_ra_unbounded", Program: "fexit_ra"},
			{Kind: attach.Fentry, Target: "page_cache_ra_order", Program: "fentry_ra_order", Optional: true},
			{Kind: attach.Fexit, Target: "page_cache_ra_order", Program: "fexit_ra_order", Optional: true},
			{Kind: attach.Fexit, Target: "filemap_alloc_folio", Program: "fexit_alloc"},
			{Kind: attach.Fentry, Target: "folio_mark_accessed", Program: "fentry_accessed"},
		}},
		{Attach: []attach.Attachment{
			{Kind: attach.Kprobe, Target: "page_cache_ra_unbounded", Program: "kprobe_ra"},
			{Kind: attach.Kretprobe, Target: "page_cache_ra_unbounded", Program: "kretprobe_ra"},
			{Kind: attach.Kprobe, Target: "page_cache_ra_order", Program: "kprobe_ra", Optional: true},
			{Kind: attach.Kretprobe, Target: "page_cache_ra_order", Program: "kretprobe_ra", Optional: true},
			{Kind: attach.Kretprobe, Target: "filemap_alloc_folio", Program: "kretprobe_alloc"},
			{Kind: attach.Kprobe, Target: "folio_mark_accessed", Program: "kprobe_accessed"},
		}},
	},
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadReadahead()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

var bounded = []loader.Bounded{{Counter: "map_full", Slot: 0, Map: "folios", What: "read-ahead pages"}}

// Layout of struct readahead_stats (bpfobj/readahead/readahead.h).
const (
	maxSlots  = 20
	statsSize = 16 + maxSlots*4
)

type stats struct {
	total, used uint64
	slots       []uint64
}

func decodeStats(b []byte) (stats, error) {
	if len(b) < statsSize {
		return stats{}, fmt.Errorf("short stats: %d bytes", len(b))
	}
	ne := binary.NativeEndian
	s := stats{total: ne.Uint64(b), used: ne.Uint64(b[8:]), slots: make([]uint64, maxSlots)}
	for i := range s.slots {
		s.slots[i] = uint64(ne.Uint32(b[16+i*4:]))
	}
	return s, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	json, verbose, duration := inv.Bool("json"), inv.Bool("verbose"), inv.Int("duration")
	if len(inv.Args) > 0 {
		return applet.Usagef("unexpected argument %q", inv.Args[0])
	}
	if duration < 0 {
		return applet.Usagef("invalid duration %d", duration)
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, BTF: inv.String("btf"), Verbose: inv.VerboseWriter(),
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	m := obj.Map("stats")
	if m == nil {
		return fmt.Errorf("internal: BPF object has no stats map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	if !json {
		io.WriteString(inv.Stdout, "Tracing fs read-ahead ... Hit Ctrl-C to end.\n")
	}
	if verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	if duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(duration)*time.Second)
		defer cancel()
	}
	<-ctx.Done()
	if applet.ReaderGone(ctx) {
		return nil // nobody to write the summary to
	}
	raw := make([]byte, statsSize)
	if err := m.Lookup(uint32(0), &raw); err != nil {
		return fmt.Errorf("reading counters: %w", err)
	}
	s, err := decodeStats(raw)
	if err != nil {
		return err
	}
	dropped, err := full.Take()
	if err != nil {
		return err
	}
	loader.Report(inv.Stderr, inv.Name, dropped)
	var out bytes.Buffer
	format(&out, s, json, dropped)
	_, err = inv.Stdout.Write(out.Bytes())
	return err
}

// format writes libbpf-tools' "Readahead unused/total pages: U/T" and the
// msecs histogram, or one JSON object.
func format(w *bytes.Buffer, s stats, json bool, dropped []loader.Dropped) {
	unused := s.total - min(s.used, s.total)
	if json {
		var j output.JSONLine
		j.Reset()
		j.Uint("unused", unused)
		j.Uint("total", s.total)
		j.Raw("histogram", hist.AppendLog2JSON(nil, s.slots, "msecs"))
		j.Raw("not_counted", loader.AppendJSON(nil, dropped))
		w.Write(j.Bytes())
		return
	}
	fmt.Fprintf(w, "\nReadahead unused/total pages: %d/%d\n", unused, s.total)
	hist.PrintLog2(w, s.slots, "msecs")
}
