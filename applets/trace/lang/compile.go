package lang

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/probebox/probebox/core/probes"
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
	// frame-pointer walk).
	Walker *Walker
}

// MaxStackDepth is the kernel's PERF_MAX_STACK_DEPTH: frames per stack.
const MaxStackDepth = 127

type compiler struct {
	// stackDepths are the frame limits of the kstack and ustack values
	// used: each needs a stack trace map.
	stackDepths map[int]bool
	walked      bool // a ustack is taken by opts.Walker
	env         Env
	opts        Options
	maps        map[string]*MapInfo
	deleted     map[string]bool // maps named by delete(@name) without a key
	printfs     []*Printf
	// types are the program's own struct and union definitions.
	types    map[string]btf.Type
	warnings []string
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
	if err := c.layoutStructs(prog.Structs); err != nil {
		return nil, err
	}
	type unit struct {
		probe  *Probe
		target Target
	}
	var units, missing []unit
	for _, p := range prog.Probes {
		for _, ap := range p.Points {
			all, err := resolve(ap, env, opts.PID)
			if err != nil {
				return nil, err
			}
			var targets []Target
			for _, t := range all {
				if t.Missing {
					missing = append(missing, unit{p, t})
				} else {
					targets = append(targets, t)
				}
			}
			if len(targets) == 0 {
				why := "its binary has no such function"
				if k, _, _ := strings.Cut(ap.Text, ":"); k == "kprobe" || k == "kretprobe" || k == "k" || k == "kr" {
					why = "the kernel has no such function (inlined, removed, or in a module not loaded)"
				}
				if probes.HasWildcard(ap.Text) {
					why = "it matches no function here"
				}
				c.warnings = append(c.warnings, fmt.Sprintf("%s:%d:%d: WARNING: %s is not attached: %s", opts.File, ap.Pos.Line, ap.Pos.Col, ap.Text, why))
			}
			for _, t := range targets {
				units = append(units, unit{p, t})
			}
		}
	}
	if len(units) == 0 {
		p := prog.Probes[0].Points[0]
		return nil, &Error{Pos: p.Pos, End: p.end(), Msg: "no probes to attach: no attach point of the program exists here"}
	}
	// Map types first: a map may be read in a probe before the one that
	// assigns it. A probe that attaches nowhere still types the maps it
	// assigns (bpftrace types the whole program before attaching); what
	// its body cannot type without its function is left to the others.
	for _, u := range missing {
		c.inferMaps(u.probe, &u.target)
	}
	for _, u := range units {
		if err := c.inferMaps(u.probe, &u.target); err != nil {
			return nil, err
		}
	}
	for name := range c.deleted {
		if m, ok := c.maps[name]; ok {
			m.Deleted = true
		}
	}
	out := &Compiled{MapSpecs: c.baseMaps(), PID: opts.PID}
	defer func() {
		for depth := range c.stackDepths {
			name := StackMapName(Type{Bits: depth})
			out.MapSpecs[name] = &ebpf.MapSpec{Name: name, Type: ebpf.StackTrace, KeySize: 4, ValueSize: uint32(8 * depth), MaxEntries: 4096}
		}
		if c.walked {
			out.Walked = true
			for name, m := range c.opts.Walker.Maps {
				out.MapSpecs[name] = m.Copy()
			}
		}
	}()
	for i, u := range units {
		spec, err := c.genProbe(u.probe, &u.target, i)
		if err != nil {
			return nil, err
		}
		out.Probes = append(out.Probes, &CompiledProbe{Target: u.target, Spec: spec})
	}
	for _, m := range c.maps {
		out.Maps = append(out.Maps, m)
		typ, entries := ebpf.Hash, uint32(4096)
		switch {
		case m.IsArray():
			typ, entries = ebpf.PerCPUArray, 1
		case m.PerCPU():
			typ = ebpf.PerCPUHash
		}
		out.MapSpecs[mapName(m)] = &ebpf.MapSpec{Name: mapName(m), Type: typ, KeySize: uint32(m.KeySize()), ValueSize: uint32(m.ValueSize()), MaxEntries: entries}
	}
	sort.Slice(out.Maps, func(i, j int) bool { return out.Maps[i].Name < out.Maps[j].Name })
	out.Printfs = c.printfs
	out.Warnings = c.warnings
	return out, nil
}

// mapName is the BPF map name: short, as the kernel limits names to 15 bytes.
func mapName(m *MapInfo) string { return fmt.Sprintf("m%d", m.ID) }

func (c *compiler) baseMaps() map[string]*ebpf.MapSpec {
	return map[string]*ebpf.MapSpec{
		"events":      {Name: "events", Type: ebpf.RingBuf, MaxEntries: 1 << 20},
		"lost_events": {Name: "lost_events", Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1},
	}
}

// progType maps a target to its BPF program type and section.
func progType(t *Target) (ebpf.ProgramType, ebpf.AttachType) {
	switch t.Kind {
	case "tracepoint":
		return ebpf.TracePoint, ebpf.AttachNone
	case "kprobe", "kretprobe", "uprobe", "uretprobe", "usdt":
		return ebpf.Kprobe, ebpf.AttachNone
	case "fentry":
		return ebpf.Tracing, ebpf.AttachTraceFEntry
	case "fexit":
		return ebpf.Tracing, ebpf.AttachTraceFExit
	case "profile", "software", "hardware", "watchpoint":
		return ebpf.PerfEvent, ebpf.AttachNone
	}
	// BEGIN, END, interval (run from user space) and raw tracepoints.
	return ebpf.RawTracepoint, ebpf.AttachNone
}

func (c *compiler) genProbe(p *Probe, t *Target, idx int) (*ebpf.ProgramSpec, error) {
	g := &gen{c: c, t: t, vars: map[string]varSlot{}}
	g.emit(asm.Mov.Reg(asm.R6, asm.R1))
	if err := g.declareVars(p.Body); err != nil {
		return nil, err
	}
	exit := "exit"
	if c.opts.PID != 0 && onEvents(t) {
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.RSh.Imm(asm.R0, 32), asm.JNE.Imm(asm.R0, int32(c.opts.PID), exit))
	}
	if p.Pred != nil {
		if err := g.cond(p.Pred, exit); err != nil {
			return nil, err
		}
	}
	if err := g.stmts(p.Body, exit); err != nil {
		return nil, err
	}
	g.mark(exit)
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	if g.walked {
		// The walker's subprograms after the program's own code.
		// A line of its own too: CO-RE gives the walker's instructions
		// for the other architecture's registers a line (a comment),
		// and the kernel then wants one at every function's start.
		name := fmt.Sprintf("p%d", idx)
		g.insns[0] = btf.WithFuncMetadata(g.insns[0], c.opts.Walker.Entry(name)).WithSource(asm.Comment(name))
		g.insns = append(g.insns, c.opts.Walker.Insns...)
	}
	if g.err != nil {
		ap := p.Points[0]
		return nil, &Error{Pos: ap.Pos, End: ap.end(), Msg: g.err.Error()}
	}
	typ, at := progType(t)
	spec := &ebpf.ProgramSpec{
		Name:         fmt.Sprintf("p%d", idx),
		Type:         typ,
		AttachType:   at,
		Instructions: g.insns,
		License:      "GPL",
	}
	if typ == ebpf.Tracing {
		spec.AttachTo = t.Name
	}
	return spec, nil
}

// onEvents reports whether a target runs on kernel events (which -p
// filters) rather than from user space (BEGIN, END, interval).
func onEvents(t *Target) bool {
	switch t.Kind {
	case "BEGIN", "END", "interval":
		return false
	}
	return true
}

// errAt is a compile error under the whole of an expression.
func errAt(e Expr, format string, args ...any) error {
	return &Error{Pos: start(e), End: e.end(), Msg: fmt.Sprintf(format, args...)}
}

func isAggCall(e Expr) (*Call, bool) {
	call, ok := e.(*Call)
	if !ok {
		return nil, false
	}
	switch call.Name {
	case AggCount, AggSum, AggAvg, AggMin, AggMax, AggStats, AggHist, AggLhist:
		return call, true
	}
	return nil, false
}

func (c *compiler) mapFor(m *MapRef) (*MapInfo, bool) {
	info, ok := c.maps[m.Name]
	return info, ok
}

// inferMaps records map kinds and key types from a probe's statements.
func (c *compiler) inferMaps(p *Probe, t *Target) error {
	g := &gen{c: c, t: t, vars: map[string]varSlot{}, typing: true}
	if err := g.declareVars(p.Body); err != nil {
		return err
	}
	var walk func([]Stmt) error
	walk = func(stmts []Stmt) error {
		for _, s := range stmts {
			switch s := s.(type) {
			case *AssignMap:
				if err := c.noteAssign(g, s); err != nil {
					return err
				}
			case *ExprStmt:
				if call, ok := s.X.(*Call); ok && call.Name == "delete" && len(call.Args) == 1 {
					if mr, ok := call.Args[0].(*MapRef); ok && len(mr.Keys) == 0 {
						c.deleted[mr.Name] = true
					}
				}
			}
			for _, b := range bodies(s) {
				if err := walk(b); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(p.Body)
}

func (c *compiler) noteAssign(g *gen, s *AssignMap) error {
	agg, val := "", Type{}
	lmin, lmax, lstep := int64(0), int64(0), int64(0)
	if call, ok := isAggCall(s.Value); ok {
		agg = call.Name
		want := map[string]int{AggCount: 0, AggSum: 1, AggAvg: 1, AggMin: 1, AggMax: 1, AggStats: 1, AggHist: 1, AggLhist: 4}[agg]
		if len(call.Args) != want {
			return errAt(call, "%s() takes %d argument(s), got %d", agg, want, len(call.Args))
		}
		if agg == AggLhist {
			var vals [3]int64
			for i, a := range call.Args[1:] {
				n, ok := a.(*Int)
				if !ok {
					return errAt(a, "lhist() min, max and step must be integer literals")
				}
				vals[i] = n.V
			}
			lmin, lmax, lstep = vals[0], vals[1], vals[2]
			if lmin < 0 {
				return errAt(call, "lhist() min must be non-negative (provided min %d)", lmin)
			}
			if lstep <= 0 || lmax <= lmin || (lmax-lmin)/lstep > 1000 {
				return errAt(call, "lhist() needs min < max, step > 0 and at most 1000 buckets")
			}
		}
	} else {
		typ, err := g.typeOf(s.Value)
		if err != nil {
			return err
		}
		switch typ.Kind {
		case KInt:
			agg = AggInt
		case KStr:
			agg = AggStr
		case KKsym, KUsym, KInet, KKstack, KUstack, KTime, KMac, KBuf:
			agg = AggVal
		case KStruct:
			return errAt(s.Value, "a whole %s cannot be stored in a map: store a pointer to it, or the field you need", typ)
		default:
			return errAt(s.Value, "this expression has no value to store in a map")
		}
		val = typ
	}
	keys, err := g.keyTypes(s.Map)
	if err != nil {
		return err
	}
	if prev, ok := c.maps[s.Map.Name]; ok {
		if (prev.Agg != agg || (agg == AggVal && prev.Value.Kind != val.Kind)) && !(prev.Agg == AggInt && (agg == AggCount || agg == AggSum)) {
			next := &MapInfo{Agg: agg, Value: val}
			return errAt(s.Map, "type mismatch for %s: it holds %s, and this assigns %s", prev.Display(), aggName(prev), aggName(next))
		}
		if len(prev.Keys) != len(keys) {
			return errAt(s.Map, "%s has %d key(s) elsewhere, %d here", prev.Display(), len(prev.Keys), len(keys))
		}
		if agg == AggStr && val.Size > prev.Value.Size {
			prev.Value = val
		}
		return nil
	}
	c.maps[s.Map.Name] = &MapInfo{Name: s.Map.Name, ID: len(c.maps), Keys: keys, Agg: agg, Value: val, LhistMin: lmin, LhistMax: lmax, LhistStep: lstep}
	return nil
}

// Dump writes a readable listing of the generated programs (trace -d).
func (cp *Compiled) Dump(b *strings.Builder) {
	for _, p := range cp.Probes {
		fmt.Fprintf(b, "%s (%s):\n%v\n", p.Target.Text, p.Spec.Type, p.Spec.Instructions)
	}
}
