package biotop

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/cilium/ebpf"

	bpfobj "github.com/probebox/probebox/bpfobj/biotop"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/blockdev"
	"github.com/probebox/probebox/core/interval"
	"github.com/probebox/probebox/core/kbtf"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/top"
)

func init() { applet.Register(Applet) }

// Applet is biotop's registration.
var Applet = &applet.Applet{
	Name:    "biotop",
	Summary: "Block device (disk) I/O by process, top-like",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 1)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "C", Long: "noclear", Usage: "don't clear the screen (it is only cleared on a terminal)"},
		{Short: "r", Long: "rows", Kind: applet.Int, Meta: "ROWS", Default: "20", Usage: "maximum rows to print"},
		{Short: "s", Long: "sort", Kind: applet.String, Meta: "SORT", Default: "all", Usage: "sort columns: all, io, bytes, time"},
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "trace this process only (in the kernel)"},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"biotop", "block device I/O top, 1 second refresh"},
		{"biotop -C", "don't clear the screen"},
		{"biotop -p 181", "only trace PID 181"},
		{"biotop -s bytes -r 5", "the 5 rows with the most bytes"},
		{"biotop 5", "5 second summaries"},
		{"biotop 5 10", "5 second summaries, 10 times only"},
		{"biotop --json 1 3", "three JSON objects, one per second"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: insert remembers the submitter, issue stamps the request,
// complete adds it to its row.
var Hooks = []attach.Hook{{
	Name: "block I/O",
	Candidates: blockdev.Candidates("requests are matched by disk and sector",
		"block_rq_insert", "block_rq_issue", "block_rq_complete"),
}}

func spec() (*ebpf.CollectionSpec, error) {
	s, err := bpfobj.LoadBiotop()
	if err != nil {
		return nil, err
	}
	delete(s.Maps, "events")
	delete(s.Maps, "lost_events")
	return s, nil
}

// bounded: BIOTOP_FULL_* in bpfobj/biotop/biotop.h.
var bounded = []loader.Bounded{
	{Counter: "map_full", Slot: 0, Map: "counts", What: "I/O requests", Hint: "use -p to trace fewer processes"},
	{Counter: "map_full", Slot: 1, Map: "starts", What: "I/O requests"},
	{Counter: "map_full", Slot: 2, Map: "blk_whos", What: "I/O requests' submitters (counted under the issuing task)"},
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	res, err := kbtf.Default(cfg.btf).Resolve()
	if err != nil {
		return err
	}
	consts := cfg.consts()
	consts["rq_after_q"] = blockdev.RqAfterQueue(res.Spec)
	obj, err := loader.Load(loader.Request{
		Tool:    inv.Name,
		Spec:    spec,
		Hooks:   Hooks,
		Consts:  consts,
		BTF:     cfg.btf,
		Verbose: inv.VerboseWriter(),
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
	if cfg.verbose {
		io.WriteString(inv.Stderr, inv.Name+": tracing; hit Ctrl-C to end\n")
	}
	p := newPrinter(cfg, blockdev.NewNames().Name)
	p.clear = top.ShouldClear(inv.Stdout, cfg.noClear)
	var buf bytes.Buffer
	return interval.Run(ctx, cfg.every, cfg.count, func(bool) error {
		rows, err := summary.Drain(counts, keySize, valueSize, decodeRow)
		if err != nil {
			return err
		}
		dropped, err := full.Take()
		if err != nil {
			return err
		}
		loader.Report(inv.Stderr, inv.Name, dropped)
		buf.Reset()
		p.print(&buf, rows, top.ReadLoadavg(), dropped)
		_, err = inv.Stdout.Write(buf.Bytes())
		return err
	})
}

// pidArg is -p as the BPF filter wants it.
func pidArg(inv *applet.Invocation) (uint32, error) {
	if !inv.IsSet("pid") {
		return 0, nil
	}
	pid := inv.Int("pid")
	if pid <= 0 {
		return 0, applet.Usagef("invalid PID %s", strconv.Itoa(pid))
	}
	return uint32(pid), nil
}
