package lang

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/asm"
)

func (g *gen) stmts(body []Stmt, exit string) error {
	for _, s := range body {
		mark := g.used
		var err error
		switch s := s.(type) {
		case *AssignVar:
			err = g.assignVar(s)
		case *AssignMap:
			err = g.assignMap(s)
		case *If:
			elseL, end := g.newLabel(), g.newLabel()
			if err = g.cond(s.Cond, elseL); err != nil {
				return err
			}
			if err = g.stmts(s.Then, exit); err != nil {
				return err
			}
			// No jump over an empty else, nor after a break, continue
			// or return: the verifier refuses unreachable instructions.
			if len(s.Else) > 0 && !endsInJump(s.Then) {
				g.emit(asm.Ja.Label(end))
			}
			g.mark(elseL)
			err = g.stmts(s.Else, exit)
			g.mark(end)
		case *ExprStmt:
			err = g.exprStmt(s.X, exit)
		case *While:
			err = g.whileLoop(s, exit)
		case *Unroll:
			err = g.unroll(s, exit)
		case *For:
			err = g.forLoop(s, exit)
		case *Jump:
			err = g.jump(s, exit)
		}
		if err != nil {
			return err
		}
		g.release(mark)
		if _, ok := s.(*Jump); ok {
			break // what follows could never run
		}
	}
	return nil
}

func endsInJump(body []Stmt) bool {
	for _, s := range body {
		if _, ok := s.(*Jump); ok {
			return true
		}
	}
	return false
}

func (g *gen) assignVar(s *AssignVar) error {
	v := g.vars[s.Name]
	t, err := g.typeOf(s.Value)
	if err != nil {
		return err
	}
	if t.Kind != v.typ.Kind {
		return &Error{Pos: s.Pos, End: s.End, Msg: fmt.Sprintf("type mismatch for $%s: it holds %s, and this assigns %s", s.Name, v.typ, t)}
	}
	return g.genValue(s.Value, v.typ, v.off)
}

func (g *gen) assignMap(s *AssignMap) error {
	m, _ := g.c.mapFor(s.Map)
	call, isAgg := isAggCall(s.Value)
	// The operand first: computing it may call helpers that clobber the
	// value pointer a lookup returns.
	operand := int16(0)
	if isAgg && len(call.Args) > 0 {
		t, err := g.typeOf(call.Args[0])
		if err != nil {
			return err
		}
		if t.Kind != KInt {
			return errAt(call, "%s() needs an integer", call.Name)
		}
		if err := g.genInt(call.Args[0]); err != nil {
			return err
		}
		operand = g.alloc(8)
		g.emit(asm.StoreMem(asm.R10, operand, asm.R0, asm.DWord))
	}
	if !isAgg {
		return g.storeValue(m, s)
	}
	key, err := g.buildKey(m, s.Map)
	if err != nil {
		return err
	}
	if m.Agg == AggHist || m.Agg == AggLhist {
		g.emit(asm.LoadMem(asm.R0, asm.R10, operand, asm.DWord))
		if m.Agg == AggHist {
			g.histSlot()
		} else {
			g.lhistSlot(m)
		}
		g.emit(asm.StoreMem(asm.R10, key+int16(m.KeySize()-8), asm.R0, asm.DWord))
	}
	done := g.newLabel()
	if m.IsArray() || !m.PerCPU() {
		g.lookupOrInit(m, key, done)
		g.aggOp(m, asm.R0, 0, operand, done)
	} else {
		// A per-CPU hash element missing on lookup is made from this
		// event's value in one update: the first event of a key costs
		// two helper calls, not three. BPF_ANY: if another CPU created
		// the element meanwhile, this CPU's share of it is still zero.
		miss := g.newLabel()
		val := g.alloc(m.ValueSize())
		g.mapPtr(asm.R1, mapName(m))
		g.stackPtr(asm.R2, key)
		g.call(asm.FnMapLookupElem)
		g.emit(asm.JEq.Imm(asm.R0, 0, miss))
		g.aggOp(m, asm.R0, 0, operand, done)
		g.emit(asm.Ja.Label(done))
		g.mark(miss)
		g.zero(val, m.ValueSize())
		g.aggOp(m, asm.R10, val, operand, "")
		g.mapPtr(asm.R1, mapName(m))
		g.stackPtr(asm.R2, key)
		g.stackPtr(asm.R3, val)
		g.emit(asm.Mov.Imm(asm.R4, 0)) // BPF_ANY
		g.call(asm.FnMapUpdateElem)
	}
	g.mark(done)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	return nil
}

// aggOp folds the operand (at operand on the stack) into the value at
// base+off. min() and max() jump to done when the value stays; an empty
// done means "fall through to the end of this code".
func (g *gen) aggOp(m *MapInfo, base asm.Register, off, operand int16, done string) {
	switch m.Agg {
	case AggCount, AggHist, AggLhist:
		g.emit(asm.LoadMem(asm.R1, base, off, asm.DWord), asm.Add.Imm(asm.R1, 1), asm.StoreMem(base, off, asm.R1, asm.DWord))
	case AggSum:
		g.emit(asm.LoadMem(asm.R1, base, off, asm.DWord), asm.LoadMem(asm.R2, asm.R10, operand, asm.DWord),
			asm.Add.Reg(asm.R1, asm.R2), asm.StoreMem(base, off, asm.R1, asm.DWord))
	case AggAvg, AggStats:
		g.emit(asm.LoadMem(asm.R1, base, off, asm.DWord), asm.LoadMem(asm.R2, asm.R10, operand, asm.DWord),
			asm.Add.Reg(asm.R1, asm.R2), asm.StoreMem(base, off, asm.R1, asm.DWord),
			asm.LoadMem(asm.R1, base, off+8, asm.DWord), asm.Add.Imm(asm.R1, 1), asm.StoreMem(base, off+8, asm.R1, asm.DWord))
	case AggMin, AggMax:
		// {value, set}: take the operand when unset or better.
		store, end := g.newLabel(), done
		if end == "" {
			end = g.newLabel()
		}
		better := asm.JSLT
		if m.Agg == AggMax {
			better = asm.JSGT
		}
		g.emit(asm.LoadMem(asm.R1, base, off+8, asm.DWord), asm.LoadMem(asm.R2, asm.R10, operand, asm.DWord),
			asm.JEq.Imm(asm.R1, 0, store),
			asm.LoadMem(asm.R1, base, off, asm.DWord),
			better.Reg(asm.R2, asm.R1, store), asm.Ja.Label(end))
		g.mark(store)
		g.emit(asm.StoreMem(base, off, asm.R2, asm.DWord), storeImm(base, off+8, int32(1)))
		if done == "" {
			g.mark(end)
			g.emit(asm.Mov.Reg(asm.R0, asm.R0))
		}
	}
}

// storeValue is @m[k] = expr for integer and string maps.
func (g *gen) storeValue(m *MapInfo, s *AssignMap) error {
	t, err := g.typeOf(s.Value)
	if err != nil {
		return err
	}
	val := g.alloc(m.ValueSize())
	if t.Kind == KInt {
		if m.Agg != AggInt && m.Agg != AggCount && m.Agg != AggSum {
			return errAt(s.Map, "type mismatch for %s: it holds %s, and this assigns an integer", m.Display(), aggName(m))
		}
		if err := g.genInt(s.Value); err != nil {
			return err
		}
		g.emit(asm.StoreMem(asm.R10, val, asm.R0, asm.DWord))
	} else {
		if (m.Agg != AggStr && m.Agg != AggVal) || (m.Agg == AggVal && m.Value.Kind != t.Kind) || (m.Agg == AggStr && t.Kind != KStr) {
			return errAt(s.Map, "type mismatch for %s: it holds %s, and this assigns %s", m.Display(), aggName(m), t)
		}
		if err := g.genValue(s.Value, m.Value, val); err != nil {
			return err
		}
	}
	key, err := g.buildKey(m, s.Map)
	if err != nil {
		return err
	}
	g.mapPtr(asm.R1, mapName(m))
	g.stackPtr(asm.R2, key)
	g.stackPtr(asm.R3, val)
	g.emit(asm.Mov.Imm(asm.R4, 0)) // BPF_ANY
	g.call(asm.FnMapUpdateElem)
	return nil
}

// lookupOrInit leaves a pointer to m[key] in R0, creating a zero entry
// first; it jumps to fail when the map is full. An array's one element
// always exists: the null check is only there for the verifier.
func (g *gen) lookupOrInit(m *MapInfo, key int16, fail string) {
	if m.IsArray() {
		g.mapPtr(asm.R1, mapName(m))
		g.stackPtr(asm.R2, key)
		g.call(asm.FnMapLookupElem)
		g.emit(asm.JEq.Imm(asm.R0, 0, fail))
		return
	}
	have := g.newLabel()
	zero := g.alloc(m.ValueSize())
	g.mapPtr(asm.R1, mapName(m))
	g.stackPtr(asm.R2, key)
	g.call(asm.FnMapLookupElem)
	g.emit(asm.JNE.Imm(asm.R0, 0, have))
	g.zero(zero, m.ValueSize())
	g.mapPtr(asm.R1, mapName(m))
	g.stackPtr(asm.R2, key)
	g.stackPtr(asm.R3, zero)
	g.emit(asm.Mov.Imm(asm.R4, 1)) // BPF_NOEXIST: another CPU may have won
	g.call(asm.FnMapUpdateElem)
	g.mapPtr(asm.R1, mapName(m))
	g.stackPtr(asm.R2, key)
	g.call(asm.FnMapLookupElem)
	g.emit(asm.JEq.Imm(asm.R0, 0, fail))
	g.mark(have)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
}

// histSlot turns R0 into bpftrace's hist() bucket: 0 for negatives, 1 for
// 0, 2 for 1, then log2(v)+2.
func (g *gen) histSlot() {
	neg, zero, done := g.newLabel(), g.newLabel(), g.newLabel()
	g.emit(asm.JSLT.Imm(asm.R0, 0, neg), asm.JEq.Imm(asm.R0, 0, zero))
	// R1 = v, R0 = log2(v) by halving steps.
	g.emit(asm.Mov.Reg(asm.R1, asm.R0), asm.Mov.Imm(asm.R0, 0))
	for _, shift := range []int32{32, 16, 8, 4, 2, 1} {
		skip := g.newLabel()
		g.emit(asm.Mov.Reg(asm.R2, asm.R1), asm.RSh.Imm(asm.R2, shift), asm.JEq.Imm(asm.R2, 0, skip),
			asm.Mov.Reg(asm.R1, asm.R2), asm.Add.Imm(asm.R0, shift))
		g.mark(skip)
	}
	g.emit(asm.Add.Imm(asm.R0, 2), asm.Ja.Label(done))
	g.mark(neg)
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Ja.Label(done))
	g.mark(zero)
	g.emit(asm.Mov.Imm(asm.R0, 1))
	g.mark(done)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
}

// lhistSlot: 0 below min, 1+(v-min)/step inside, last slot at or above max.
func (g *gen) lhistSlot(m *MapInfo) {
	below, above, done := g.newLabel(), g.newLabel(), g.newLabel()
	buckets := (m.LhistMax - m.LhistMin) / m.LhistStep
	g.emit(asm.LoadImm(asm.R1, m.LhistMin, asm.DWord), asm.JSLT.Reg(asm.R0, asm.R1, below),
		asm.LoadImm(asm.R1, m.LhistMax, asm.DWord), asm.JSGE.Reg(asm.R0, asm.R1, above),
		asm.LoadImm(asm.R1, m.LhistMin, asm.DWord), asm.Sub.Reg(asm.R0, asm.R1),
		asm.LoadImm(asm.R1, m.LhistStep, asm.DWord), asm.Div.Reg(asm.R0, asm.R1), asm.Add.Imm(asm.R0, 1), asm.Ja.Label(done))
	g.mark(below)
	g.emit(asm.Mov.Imm(asm.R0, 0), asm.Ja.Label(done))
	g.mark(above)
	g.emit(asm.LoadImm(asm.R0, buckets+1, asm.DWord))
	g.mark(done)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
}

func (g *gen) exprStmt(x Expr, exit string) error {
	call, ok := x.(*Call)
	if !ok {
		return errAt(x, "this expression does nothing as a statement")
	}
	switch call.Name {
	case "printf":
		return g.printf(call)
	case "exit":
		return g.event(EventExit, 0)
	case "unwatch":
		if _, err := g.typeOf(call); err != nil {
			return err
		}
		// The address is known only now: the event's argument from R0.
		if err := g.genInt(call.Args[0]); err != nil {
			return err
		}
		buf := g.alloc(16)
		g.emit(storeImm(asm.R10, buf, EventUnwatch), asm.StoreMem(asm.R10, buf+8, asm.R0, asm.DWord))
		g.output(buf, 16)
		return nil
	case "time", "join":
		return g.outputCall(call)
	case "system", "cat", "signal":
		return g.unsafeCall(call)
	case "skboutput":
		if _, err := g.typeOf(call); err != nil {
			return err
		}
		return g.genSkbOutput(call) // the result unused
	case "print":
		if mr, ok := call.Args0().(*MapRef); !ok || len(mr.Keys) > 0 {
			return g.printValue(call)
		}
		if len(call.Args) > 1 {
			return g.printTop(call)
		}
		fallthrough
	case "clear", "zero":
		if len(call.Args) != 1 {
			return errAt(call, "%s() takes one map", call.Name)
		}
		mr, ok := call.Args[0].(*MapRef)
		if !ok || len(mr.Keys) > 0 {
			return errAt(call, "%s() takes a whole map: %s(@name)", call.Name, call.Name)
		}
		m, ok := g.c.mapFor(mr)
		if !ok {
			return errAt(mr, "undefined map @%s", mr.Name)
		}
		kind := map[string]uint64{"print": EventPrint, "clear": EventClear, "zero": EventZero}[call.Name]
		return g.event(kind, uint64(m.ID))
	case "delete":
		if len(call.Args) != 1 {
			return errAt(call, "delete() takes one map element: delete(@m[key])")
		}
		mr, ok := call.Args[0].(*MapRef)
		if !ok {
			return errAt(call, "delete() takes a map element: delete(@m[key])")
		}
		m, ok := g.c.mapFor(mr)
		if !ok {
			return errAt(mr, "undefined map @%s", mr.Name)
		}
		key, err := g.buildKey(m, mr)
		if err != nil {
			return err
		}
		if m.Agg == AggHist || m.Agg == AggLhist {
			return errAt(call, "delete() of one histogram entry is not supported; use clear(@%s)", m.Name)
		}
		g.mapPtr(asm.R1, mapName(m))
		g.stackPtr(asm.R2, key)
		g.call(asm.FnMapDeleteElem)
		return nil
	}
	if _, err := g.typeOf(call); err != nil {
		return err
	}
	return errAt(call, "%s() does nothing as a statement", call.Name)
}

// event sends a two-word control record (exit, print, clear, zero).
func (g *gen) event(kind, arg uint64) error {
	buf := g.alloc(16)
	g.emit(storeImm(asm.R10, buf, int32(int64(kind))), asm.LoadImm(asm.R1, int64(arg), asm.DWord), asm.StoreMem(asm.R10, buf+8, asm.R1, asm.DWord))
	g.output(buf, 16)
	return nil
}

// output sends size bytes at off to the events ring buffer, counting a
// failure in lost_events.
func (g *gen) output(off int16, size int) {
	ok := g.newLabel()
	g.mapPtr(asm.R1, "events")
	g.stackPtr(asm.R2, off)
	g.emit(asm.Mov.Imm(asm.R3, int32(size)), asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnRingbufOutput)
	g.emit(asm.JEq.Imm(asm.R0, 0, ok))
	g.countLost()
	g.mark(ok)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
}

// countLost adds one to lost_events.
func (g *gen) countLost() {
	ok := g.newLabel()
	mark := g.used
	defer g.release(mark)
	key := g.alloc(8)
	g.emit(storeImm(asm.R10, key, int32(0)))
	g.mapPtr(asm.R1, "lost_events")
	g.stackPtr(asm.R2, key)
	g.call(asm.FnMapLookupElem)
	g.emit(asm.JEq.Imm(asm.R0, 0, ok), asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord), asm.Add.Imm(asm.R1, 1), asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord))
	g.mark(ok)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
}

func (g *gen) printf(call *Call) error {
	if len(call.Args) == 0 {
		return errAt(call, "printf() needs a format string")
	}
	lit, ok := call.Args[0].(*Str)
	if !ok {
		return errAt(call, "printf()'s first argument must be a string literal")
	}
	verbs, err := ParseFormat(lit.V)
	if err != nil {
		return errAt(call, "%v", err)
	}
	args := call.Args[1:]
	if len(verbs) > len(args) {
		return errAt(call, "printf: not enough arguments for the format (%d given, %d expected)", len(args), len(verbs))
	}
	if len(verbs) < len(args) {
		return errAt(call, "printf: too many arguments for the format (%d given, %d expected)", len(args), len(verbs))
	}
	return g.record(&Printf{Format: lit.V}, args, verbs)
}

// record sends a Printf record: its id, then each argument's value.
// verbs, when not nil, are the printf conversions the arguments must
// match.
func (g *gen) record(pf *Printf, args []Expr, verbs []Verb) error {
	size := 16
	for i, a := range args {
		t, err := g.typeOf(a)
		if err != nil {
			return err
		}
		if t.Kind != KInt && t.Kind != KStr && !isValueKind(t.Kind) {
			return errAt(a, "printf cannot print a %s value", t)
		}
		if verbs != nil && (verbs[i].Verb == 'r') != (t.Kind == KBuf) {
			// bpftrace's words: %r is for buf() alone, and only %r is.
			if t.Kind == KBuf {
				return errAt(a, "printf: %s specifier expects a value of type string (buffer supplied)", verbs[i].Spec)
			}
			return errAt(a, "printf: %%r specifier expects a value of type buffer (%s supplied)", t)
		}
		if verbs != nil && verbs[i].Verb != 'r' && (verbs[i].Verb == 's') != (t.Kind == KStr || isValueKind(t.Kind)) {
			return errAt(a, "printf: %%%c does not match a %s argument", verbs[i].Verb, t)
		}
		pf.Args = append(pf.Args, t)
		size += t.Size
	}
	buf := g.alloc(size)
	if !g.typing {
		g.c.printfs = append(g.c.printfs, pf)
	}
	id := len(g.c.printfs) - 1
	g.emit(storeImm(asm.R10, buf, int32(EventPrintf)), storeImm(asm.R10, buf+8, int32(int64(id))))
	pos := buf + 16
	for i, a := range args {
		if err := g.genValue(a, pf.Args[i], pos); err != nil {
			return err
		}
		pos += int16(pf.Args[i].Size)
	}
	g.output(buf, size)
	return nil
}

// Verb is one conversion of a printf format.
type Verb struct {
	Spec string // the whole conversion, "%-5d"
	Verb byte   // d u x X s c p r
}

// ParseFormat finds the conversions of a printf format string.
func ParseFormat(f string) ([]Verb, error) {
	var verbs []Verb
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		if i+1 < len(f) && f[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		for j < len(f) && strings.IndexByte("-+ #0123456789.", f[j]) >= 0 {
			j++
		}
		for j < len(f) && (f[j] == 'l' || f[j] == 'h' || f[j] == 'z') {
			j++
		}
		if j >= len(f) || strings.IndexByte("diuxXscpr", f[j]) < 0 {
			return nil, fmt.Errorf("printf: unsupported format %q", f[i:min(j+1, len(f))])
		}
		if f[j] == 'r' && j != i+1 {
			return nil, fmt.Errorf("printf: %q: %%r takes no flags, width or precision", f[i:j+1])
		}
		v := f[j]
		if v == 'i' {
			v = 'd'
		}
		verbs = append(verbs, Verb{Spec: f[i : j+1], Verb: v})
		i = j
	}
	return verbs, nil
}
