package lang

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Compiled is a program ready to load.
type Compiled struct {
	Probes  []*CompiledProbe
	Maps    []*MapInfo // sorted by name, the order bpftrace prints them
	Printfs []*Printf
	// MapSpecs holds every BPF map the programs refer to, by name.
	MapSpecs map[string]*ebpf.MapSpec
	// PID is Options.PID: uprobes attach to that process only.
	PID uint32
	// Warnings are attach points left out (as bpftrace leaves them), one
	// line each, for stderr.
	Warnings []string
	// JSON: print in bpftrace's -f json shape (set by the caller).
	JSON bool
	// Walked: ustack values are ids in Options.Walker's StackMap.
	Walked bool
	// SkbOutputs are skboutput()'s pcap files, by the id in each
	// record of SkbEventsMap.
	SkbOutputs []string
}

// CompiledProbe is one program for one target.
type CompiledProbe struct {
	Target Target
	Spec   *ebpf.ProgramSpec
}

// Printf is one printf call site: its format and argument types.
type Printf struct {
	// Kind says how the record prints: a printf, time(), print(value)
	// or join(); Format is the printf or time() format, join()'s
	// delimiter.
	Kind   int
	Format string
	Args   []Type
}

// Kinds of Printf records.
const (
	PrintfText = iota
	PrintfTime
	PrintfValue
	PrintfJoin
	PrintfSystem // system(): run the formatted command, print its output
	PrintfCat    // cat(): print the named file
)

// Join's limits: arguments read, and bytes of each (bpftrace's).
const (
	JoinArgs    = 16
	JoinArgSize = 1024
)

// PrintArg packs print(@map, top, div)'s operands into an event's
// argument word; DecodePrintArg unpacks them.
func PrintArg(id, top, div int) uint64 {
	return uint64(id) | uint64(top)<<20 | uint64(div)<<42
}

func DecodePrintArg(arg uint64) (id, top, div int) {
	return int(arg & (1<<20 - 1)), int(arg >> 20 & (1<<22 - 1)), int(arg >> 42)
}

// Event types on the events ring buffer, first u64 of every record.
const (
	EventPrintf = 1
	EventExit   = 2
	EventPrint  = 3
	EventClear  = 4
	EventZero   = 5
	// EventUnwatch: unwatch(addr), the address in the argument.
	EventUnwatch = 6
)

// Options tune compilation.
type Options struct {
	// StartNs is CLOCK_MONOTONIC at start, for the elapsed builtin.
	StartNs uint64
	// Arch names the pt_regs layout for kprobe/uprobe arguments ("amd64", "arm64").
	Arch string
	// File names the program in error messages ("stdin" for -e).
	File string
	// PID (trace -p) limits probes on kernel events to one process, as
	// newer bpftrace does; 0 traces everything.
	PID uint32
	// Unsafe allows system(), cat() and signal(), as bpftrace's --unsafe.
	Unsafe bool
	// CPID is the pid of the command trace -c started, the cpid builtin;
	// 0 when there is none, and cpid is then an error.
	CPID uint32
	// Walker, when set, takes ustack (instead of bpf_get_stackid's
	// frame-pointer walk); NewWalker makes it when a program first takes
	// a ustack (making it reads the walker's object: most programs take
	// none).
	Walker    *Walker
	NewWalker func() (*Walker, error)
}

// ustackWalker is the walker ustack values are taken with, nil for
// bpf_get_stackid's frame-pointer walk.
func (c *compiler) ustackWalker() *Walker {
	if !c.walkerDone {
		c.walkerDone = true
		c.walker = c.opts.Walker
		if c.walker == nil && c.opts.NewWalker != nil {
			c.walker, c.walkerErr = c.opts.NewWalker()
		}
	}
	return c.walker
}

// MaxStackDepth is the kernel's PERF_MAX_STACK_DEPTH: frames per stack.
const MaxStackDepth = 127

type compiler struct {
	// stackDepths are the frame limits of the kstack and ustack values
	// used: each needs a stack trace map.
	stackDepths map[int]bool
	walked      bool // a ustack is taken by the walker
	// walker: opts.Walker, or what opts.NewWalker made (ustackWalker).
	walker     *Walker
	walkerDone bool
	walkerErr  error
	env        Env
	opts       Options
	maps       map[string]*MapInfo
	deleted    map[string]bool // maps named by delete(@name) without a key
	printfs    []*Printf
	// types are the program's own struct and union definitions.
	types    map[string]btf.Type
	warnings []string
	// skbOutputs are skboutput()'s files by id; skbEvents: a program
	// calls it (and needs SkbEventsMap).
	skbOutputs []string
	skbEvents  bool
}

// Compile type-checks prog and generates its BPF programs.
func Compile(prog *Program, env Env, opts Options) (c *Compiled, err error) {
	defer func() {
		if e, ok := err.(*Error); ok {
			if e.File == "" {
				e.File = opts.File
			}
			if e.File == opts.File {
				e.Src = prog.Src
			}
		}
	}()
	return compile(prog, env, opts)
}

func compile(prog *Program, env Env, opts Options) (*Compiled, error) {
	c := &compiler{env: env, opts: opts, maps: map[string]*MapInfo{}, deleted: map[string]bool{}}
	// The passes after parsing, in order; each lives in its own files.
	if err := c.layoutStructs(prog.Structs); err != nil { // structs.go
		return nil, err
	}
	units, missing, err := c.resolveProbes(prog) // target.go, usdt.go
	if err != nil {
		return nil, err
	}
	if err := c.analyze(units, missing); err != nil { // sema_*.go
		return nil, err
	}
	out := &Compiled{PID: opts.PID}
	for i, u := range units { // gen_*.go
		spec, err := c.genProbe(u.probe, &u.target, i)
		if err != nil {
			return nil, err
		}
		out.Probes = append(out.Probes, &CompiledProbe{Target: u.target, Spec: spec})
	}
	if c.walkerErr != nil {
		return nil, c.walkerErr
	}
	c.layoutResources(out) // layout.go
	return out, nil
}

// errAt is a compile error under the whole of an expression.
func errAt(e Expr, format string, args ...any) error {
	return &Error{Pos: start(e), End: e.end(), Msg: fmt.Sprintf(format, args...)}
}

// Dump writes a readable listing of the generated programs (trace -d).
func (cp *Compiled) Dump(b *strings.Builder) {
	for _, p := range cp.Probes {
		fmt.Fprintf(b, "%s (%s):\n%v\n", p.Target.Text, p.Spec.Type, p.Spec.Instructions)
	}
}
