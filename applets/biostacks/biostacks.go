package biostacks

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/biostacks"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/syms"
)

func init() { applet.Register(Applet) }

// Applet is biostacks' registration.
var Applet = &applet.Applet{
	Name:    "biostacks",
	Summary: "Block I/O latency histograms by the kernel stack that started the I/O",
	Args:    []applet.Arg{{Name: "duration", Usage: "seconds to trace (default: until Ctrl-C)"}},
	Flags: []applet.Flag{
		{Short: "d", Long: "disk", Kind: applet.String, Meta: "DISK", Usage: "trace this disk only (in the kernel)"},
		{Short: "m", Long: "milliseconds", Usage: "millisecond histogram"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"biostacks", "trace block I/O with init stacks, until Ctrl-C"},
		{"biostacks 1", "trace for 1 second only"},
		{"biostacks -d sdc", "trace sdc only"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: where a request is first seen (insert, else issue, both in the
// submitting task) and its completion. libbpf-tools uses fentry/kprobe on
// blk_account_io_start; these tracepoints stand in for it on every kernel.
var Hooks = []attach.Hook{{
	Name:       "block I/O",
	Candidates: blockdev.Candidates("", "block_rq_insert", "block_rq_issue", "block_rq_complete")[:2],
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadBiostacks()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

var bounded = []loader.Bounded{
	{Counter: "map_full", Slot: 0, Map: "hists", What: "I/O requests"},
	{Counter: "map_full", Slot: 1, Map: "starts", What: "I/O requests"},
	{Counter: "map_full", Slot: 2, Map: "stacks", What: "I/O requests' stacks (shown without one)"},
}

type config struct {
	millis, json, verbose bool
	disk, btf             string
	dev                   uint32
	duration              time.Duration
}

func newConfig(inv *applet.Invocation, lookup func(string) (uint32, error)) (*config, error) {
	c := &config{millis: inv.Bool("milliseconds"), json: inv.Bool("json"), verbose: inv.Bool("verbose"),
		disk: inv.String("disk"), btf: inv.String("btf")}
	if len(inv.Args) > 1 {
		return nil, applet.Usagef("unexpected argument %q", inv.Args[1])
	}
	if len(inv.Args) == 1 {
		n, err := strconv.Atoi(inv.Args[0])
		if err != nil || n <= 0 || n > 1<<31-1 {
			return nil, applet.Usagef("invalid duration %q: want a positive number of seconds", inv.Args[0])
		}
		c.duration = time.Duration(n) * time.Second
	}
	if inv.IsSet("disk") {
		var err error
		if c.dev, err = lookup(c.disk); err != nil {
			return nil, applet.Usagef("-d: %v", err)
		}
	}
	return c, nil
}

func run(ctx context.Context, inv *applet.Invocation) error {
	names := blockdev.NewNames()
	cfg, err := newConfig(inv, names.Lookup)
	if err != nil {
		return err
	}
	res, err := kbtf.Default(cfg.btf).Resolve()
	if err != nil {
		return err
	}
	obj, err := loader.Load(loader.Request{
		Tool: inv.Name, Spec: spec, Hooks: Hooks, BTF: cfg.btf, Verbose: inv.VerboseWriter(),
		Consts: map[string]any{"filter_dev": cfg.disk != "", "targ_dev": cfg.dev, "targ_ms": cfg.millis,
			"rq_after_q": blockdev.RqAfterQueue(res.Spec)},
	})
	if err != nil {
		return err
	}
	defer obj.Close()
	hists, stacks := obj.Map("hists"), obj.Map("stacks")
	if hists == nil || stacks == nil {
		return fmt.Errorf("internal: BPF object lacks its maps")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	ksyms, kerr := syms.LoadKernel()
	if kerr != nil {
		fmt.Fprintf(inv.Stderr, "%s: no kernel symbols (%v): stacks print as addresses\n", inv.Name, kerr)
	}
	if !cfg.json {
		io.WriteString(inv.Stdout, "Tracing block I/O with init stacks. Hit Ctrl-C to end.\n")
	}
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	<-ctx.Done()
	if applet.ReaderGone(ctx) {
		return nil // nobody to write the summary to
	}
	entries, err := summary.Drain(hists, keySize, valueSize, decodeEntry)
	if err != nil {
		return err
	}
	for i := range entries {
		entries[i].frames = frames(stacks, entries[i].stackID, ksyms)
	}
	sortEntries(entries)
	dropped, err := full.Take()
	if err != nil {
		return err
	}
	loader.Report(inv.Stderr, inv.Name, dropped)
	var out bytes.Buffer
	p := printer{cfg: cfg, names: names.Name}
	p.print(&out, entries, dropped)
	_, err = inv.Stdout.Write(out.Bytes())
	return err
}

// frames reads a stack and names its addresses, innermost first.
func frames(m *ebpf.Map, id int32, k *syms.KernelSymbols) []string {
	if id < 0 {
		return nil
	}
	raw := make([]byte, maxDepth*8)
	if err := m.Lookup(uint32(id), &raw); err != nil {
		return nil
	}
	var out []string
	for i := 0; i < maxDepth; i++ {
		addr := binary.NativeEndian.Uint64(raw[i*8:])
		if addr == 0 {
			break
		}
		name := "0x" + strconv.FormatUint(addr, 16)
		if k != nil {
			if s, ok := k.Lookup(addr); ok {
				name = s.Name
			}
		}
		// The tracepoint's own frames (the BPF program and the
		// trampoline that ran it) are not the I/O's.
		if len(out) == 0 && (strings.HasPrefix(name, "bpf_") || strings.HasPrefix(name, "__bpf_trace_")) {
			continue
		}
		out = append(out, name)
	}
	return out
}

func sortEntries(es []entry) {
	slices.SortFunc(es, func(a, b entry) int {
		if a.pid != b.pid {
			return int(int64(a.pid) - int64(b.pid))
		}
		if a.dev != b.dev {
			return int(int64(a.dev) - int64(b.dev))
		}
		return int(a.stackID - b.stackID)
	})
}
