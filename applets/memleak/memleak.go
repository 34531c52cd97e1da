package memleak

import (
	"context"
	"fmt"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	bpfobj "github.com/probebox/probebox/bpfobj/memleak"
	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/attach"
	"github.com/probebox/probebox/core/loader"
	"github.com/probebox/probebox/core/stacks"
	"github.com/probebox/probebox/core/summary"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/unwind"
)

func init() { applet.Register(Applet) }

// Applet is memleak's registration.
var Applet = &applet.Applet{
	Name:    "memleak",
	Summary: "Trace outstanding memory allocations (kernel, or a process's libc)",
	Args: []applet.Arg{
		{Name: "interval", Usage: "output interval, in seconds (default 5)"},
		{Name: "count", Usage: "number of outputs"},
	},
	Flags: []applet.Flag{
		{Short: "p", Long: "pid", Kind: applet.Int, Meta: "PID", Usage: "process ID to trace; if not specified, trace kernel allocations"},
		{Short: "a", Long: "show-allocs", Usage: "show allocation addresses and sizes as well as call stacks"},
		{Short: "o", Long: "older", Kind: applet.Int, Meta: "AGE_MS", Usage: "prune allocations younger than this age in milliseconds"},
		{Short: "s", Long: "sample-rate", Kind: applet.Int, Meta: "SAMPLE_RATE", Usage: "sample every N-th allocation to decrease the overhead", Default: "1"},
		{Short: "T", Long: "top", Kind: applet.Int, Meta: "TOP_STACKS", Usage: "display only this many top allocating stacks (by size)", Default: "10"},
		{Short: "z", Long: "min-size", Kind: applet.Int, Meta: "MIN_SIZE", Usage: "capture only allocations larger than or equal to this size"},
		{Short: "Z", Long: "max-size", Kind: applet.Int, Meta: "MAX_SIZE", Usage: "capture only allocations smaller than or equal to this size"},
		{Short: "O", Long: "obj", Kind: applet.String, Meta: "OBJECT", Usage: "attach to allocator functions in this object (default: the process's libc)"},
		{Long: "unwind", Kind: applet.String, Meta: "MODE", Default: unwind.ModeAuto, Usage: unwind.FlagUsage},
		applet.JSONFlag,
		applet.BTFFlag,
		applet.VerboseFlag,
	},
	Examples: []applet.Example{
		{"memleak -p $(pidof allocs)", "trace allocations and display a summary of outstanding allocations every 5 seconds"},
		{"memleak -ap $(pidof allocs) 10", "also show the allocated addresses and sizes, every 10 seconds"},
		{"memleak", "trace kernel allocations and display a summary of outstanding allocations every 5 seconds"},
		{"memleak -o 60000", "only kernel allocations at least one minute old"},
		{"memleak -s 5", "trace roughly every 5th allocation, to reduce overhead"},
		{"memleak -p 181 -z 1024 -Z 65536", "only allocations of 1 KiB to 64 KiB"},
		{"memleak --unwind=fp -p 181", "walk the process's stacks by frame pointers only, as bcc and libbpf-tools do"},
	},
	Hooks: Hooks,
	Run:   run,
}

// Hooks: kernel allocations through the kmem tracepoints (the _node
// variants exist before 6.2 only). With -p the tool attaches uprobes to
// the process's allocator itself (userProbes).
var Hooks = []attach.Hook{{
	Name: "kernel allocations",
	Candidates: []attach.Candidate{{Attach: []attach.Attachment{
		{Kind: attach.Tracepoint, Group: "kmem", Target: "kmalloc", Program: "tp_kmalloc"},
		{Kind: attach.Tracepoint, Group: "kmem", Target: "kmalloc_node", Program: "tp_kmalloc_node", Optional: true},
		{Kind: attach.Tracepoint, Group: "kmem", Target: "kfree", Program: "tp_kfree"},
		{Kind: attach.Tracepoint, Group: "kmem", Target: "kmem_cache_alloc", Program: "tp_kmem_cache_alloc"},
		{Kind: attach.Tracepoint, Group: "kmem", Target: "kmem_cache_alloc_node", Program: "tp_kmem_cache_alloc_node", Optional: true},
		{Kind: attach.Tracepoint, Group: "kmem", Target: "kmem_cache_free", Program: "tp_kmem_cache_free"},
		{Kind: attach.Tracepoint, Group: "kmem", Target: "mm_page_alloc", Program: "tp_mm_page_alloc"},
		{Kind: attach.Tracepoint, Group: "kmem", Target: "mm_page_free", Program: "tp_mm_page_free"},
	}}},
}}

// userProbe is one allocator function: its entry program and, for an
// allocation, its return program.
type userProbe struct {
	fn, enter, exit string
	optional        bool // not every libc has it (pvalloc is gone from glibc 2.40's API, musl lacks some)
}

var userProbes = []userProbe{
	{"malloc", "malloc_enter", "malloc_exit", false},
	{"calloc", "calloc_enter", "malloc_exit", false},
	{"realloc", "realloc_enter", "malloc_exit", false},
	{"free", "free_enter", "", false},
	{"mmap", "size2_enter", "malloc_exit", true},
	{"munmap", "free_enter", "", true},
	{"posix_memalign", "posix_memalign_enter", "posix_memalign_exit", true},
	{"aligned_alloc", "size2_enter", "malloc_exit", true},
	{"memalign", "size2_enter", "malloc_exit", true},
	{"valloc", "malloc_enter", "malloc_exit", true},
	{"pvalloc", "pvalloc_enter", "malloc_exit", true},
}

func userPrograms() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range userProbes {
		for _, n := range []string{p.enter, p.exit} {
			if n != "" && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// spec sizes the walker's stack map as the kernel's stack map when a
// process's stacks are unwound from .eh_frame.
func spec(unwinding bool) func() (*ebpf.CollectionSpec, error) {
	return func() (*ebpf.CollectionSpec, error) {
		s, err := bpfobj.LoadMemleak()
		if err != nil {
			return nil, err
		}
		delete(s.Maps, "events")
		delete(s.Maps, "lost_events")
		unwind.SizeMaps(s, int(s.Maps[stacks.StackMap].MaxEntries), unwinding)
		return s, nil
	}
}

var bounded = []loader.Bounded{
	{Counter: "map_full", Slot: 0, Map: "allocs", What: "allocations", Hint: "use -s, -z or -Z to keep fewer"},
	{Counter: "map_full", Slot: 1, Map: stacks.StackMap, What: "stacks"},
	{Counter: "map_full", Slot: 2, Map: "pending", What: "allocator calls"},
}

func run(ctx context.Context, inv *applet.Invocation) error {
	cfg, err := newConfig(inv)
	if err != nil {
		return err
	}
	unwinding, err := unwind.Decide(cfg.unwind, cfg.pid > 0, ebpf.Kprobe, inv.VerboseWriter(), inv.Name)
	if err != nil {
		return err
	}
	var lib string
	if cfg.pid > 0 {
		if lib, err = allocatorObject(cfg.pid, cfg.object); err != nil {
			return err
		}
	}
	consts := cfg.consts()
	for k, v := range unwind.Consts(unwinding) {
		consts[k] = v
	}
	req := loader.Request{Tool: inv.Name, Spec: spec(unwinding), Consts: consts, BTF: cfg.btf, Verbose: inv.VerboseWriter()}
	if cfg.pid > 0 {
		req.Programs = userPrograms()
	} else {
		req.Hooks = Hooks
	}
	obj, err := loader.Load(req)
	if err != nil {
		return err
	}
	defer obj.Close()
	// The process's tables load before the probes are attached, so its
	// stacks are whole from the first allocation; a library it loads
	// later walks frame pointers.
	tables := unwind.StartFor(ctx, unwinding, int(cfg.pid), obj.Map, inv.Name, inv.VerboseWriter())
	defer tables.Stop()
	if cfg.pid > 0 {
		links, err := attachUser(obj, lib, cfg.pid, inv)
		defer func() {
			for _, l := range links {
				l.Close()
			}
		}()
		if err != nil {
			return err
		}
	}
	allocs, traces := obj.Map("allocs"), obj.Map(stacks.StackMap)
	if allocs == nil || traces == nil {
		return fmt.Errorf("internal: BPF object has no allocs or stack map")
	}
	full, err := obj.MapFull(bounded...)
	if err != nil {
		return err
	}
	sym := syms.NewSymbolizer()
	if cfg.pid > 0 {
		// Its files' symbols now, while it runs: a process that exits
		// before the next summary is still named.
		sym.User().Prime(int(cfg.pid))
	}
	res := stacks.NewResolver(traces, sym)
	if unwinding {
		res.UserStacks = obj.Map(unwind.StackMap)
	}
	p := &printer{cfg: cfg, now: time.Now}
	banner := "Attaching to kernel allocators, Ctrl+C to quit.\n"
	if cfg.pid > 0 {
		banner = fmt.Sprintf("Attaching to pid %d, Ctrl+C to quit.\n", cfg.pid)
	}
	err = summary.Run(ctx, summary.Options[combined]{
		Tool: inv.Name, Stdout: inv.Stdout, Stderr: inv.Stderr,
		Banner: banner, JSON: cfg.json, Verbose: cfg.verbose,
		Every: cfg.every, Count: cfg.count, Full: full,
		Drain: func() ([]combined, error) {
			as, err := readAllocs(allocs)
			if err != nil {
				return nil, err
			}
			cs := combine(as, monotonicNow(), cfg.olderNs, cfg.top)
			for i := range cs {
				s := res.Resolve(stacks.Key{PID: cfg.pid, UserID: userID(cs[i].stackID, cfg), KernelID: kernelID(cs[i].stackID, cfg)}, 0)
				cs[i].frames, cs[i].missed = s.Kernel, s.KernelMissed
				if cfg.pid > 0 {
					cs[i].frames, cs[i].missed = s.User, s.UserMissed
				}
			}
			return cs, nil
		},
		Write: p.summary,
	})
	if err != nil || applet.ReaderGone(ctx) {
		return err
	}
	tables.Stop()
	return tables.Report(inv.Stderr, inv.VerboseWriter(), inv.Name)
}

// userID and kernelID place an allocation's one stack where the resolver
// looks for it: a user stack with -p, else a kernel stack.
func userID(id int32, cfg *config) int32 {
	if cfg.pid > 0 {
		return id
	}
	return stacks.NotCollected
}

func kernelID(id int32, cfg *config) int32 {
	if cfg.pid > 0 {
		return stacks.NotCollected
	}
	return id
}

// attachUser puts the entry and return probes on the allocator functions
// of lib for pid only.
func attachUser(obj *loader.Object, lib string, pid uint32, inv *applet.Invocation) ([]link.Link, error) {
	ex, err := link.OpenExecutable(lib)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lib, err)
	}
	var links []link.Link
	opts := &link.UprobeOptions{PID: int(pid)}
	for _, p := range userProbes {
		l, err := ex.Uprobe(p.fn, obj.Coll.Programs[p.enter], opts)
		if err != nil {
			if p.optional {
				continue
			}
			return links, fmt.Errorf("attaching a uprobe to %s in %s: %w", p.fn, lib, err)
		}
		links = append(links, l)
		if p.exit != "" {
			if l, err = ex.Uretprobe(p.fn, obj.Coll.Programs[p.exit], opts); err != nil {
				return links, fmt.Errorf("attaching a uretprobe to %s in %s: %w", p.fn, lib, err)
			}
			links = append(links, l)
		}
		if inv.Bool("verbose") {
			fmt.Fprintf(inv.Stderr, "%s: attached %s in %s\n", inv.Name, p.fn, lib)
		}
	}
	return links, nil
}
