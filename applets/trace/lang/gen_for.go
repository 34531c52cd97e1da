package lang

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// forVarType is $kv's type in for ($kv : @m): (key, value), the key a
// tuple of the keys where the map has several. Maps whose values are
// not one number or value (hist, lhist, stats, avg, min, max) cannot be
// iterated, as in bpftrace.
func forVarType(s *For, m *MapInfo) (Type, error) {
	if len(m.Keys) == 0 {
		return Type{}, errAt(s.Map, "for iterates over a map with keys; %s has none", m.Display())
	}
	for _, k := range m.Keys {
		if k.Kind == KKstack || k.Kind == KUstack {
			return Type{}, errAt(s.Map, "for cannot iterate %s: its keys are stacks", m.Display())
		}
	}
	key := m.Keys[0]
	if len(m.Keys) > 1 {
		key = Type{Kind: KTuple, Elems: m.Keys}
		_, key.Size = TupleOffsets(m.Keys)
	}
	var val Type
	switch m.Agg {
	case AggInt, AggCount, AggSum:
		val = intType
	case AggStr, AggVal:
		val = m.Value
	default:
		return Type{}, errAt(s.Map, "for cannot iterate %s: a %s() map's values are not single values", m.Display(), m.Agg)
	}
	kv := Type{Kind: KTuple, Elems: []Type{key, val}}
	_, kv.Size = TupleOffsets(kv.Elems)
	return kv, nil
}

// forLoop runs the body once per element, in a callback of
// bpf_for_each_map_elem (Linux 5.13). The callback has a stack frame of
// its own: on entry it copies the probe's variables in from the
// caller's frame (whose address is the callback's context) and on every
// way out it copies them back, so the body reads and writes them as the
// probe does; the probe's context pointer (args, output) travels in a
// slot of the caller's frame. break stops the walk (the callback returns
// 1), return stops it and then the probe.
func (g *gen) forLoop(s *For, exit string) error {
	m, ok := g.c.mapFor(s.Map)
	if !ok {
		return errAt(s.Map, "undefined map @%s", s.Map.Name)
	}
	kv, ok := g.vars[forKey(s)]
	if !ok {
		return errAt(s.Map, "for over %s: $%s has no type yet (the map is written only after this loop)", m.Display(), s.Var)
	}
	ctxSlot, retSlot := g.alloc(8), g.alloc(8)
	g.emit(asm.StoreMem(asm.R10, ctxSlot, asm.R6, asm.DWord), storeImm(asm.R10, retSlot, 0))
	area := g.varArea
	cb, err := g.callback(func(cb *gen) error {
		cb.vars = g.vars
		cb.used, cb.peak, cb.varArea = area, area, area
		// R1 map, R2 key, R3 value, R4 context: the caller's frame.
		cb.emit(asm.Mov.Reg(asm.R7, asm.R2), asm.Mov.Reg(asm.R8, asm.R3), asm.Mov.Reg(asm.R9, asm.R4),
			asm.LoadMem(asm.R6, asm.R9, ctxSlot, asm.DWord))
		for off := -area; off < 0; off += 8 {
			cb.emit(asm.LoadMem(asm.R1, asm.R9, int16(off), asm.DWord), asm.StoreMem(asm.R10, int16(off), asm.R1, asm.DWord))
		}
		offs, _ := TupleOffsets(kv.typ.Elems)
		copyFrom(cb, asm.R7, kv.off, kv.typ.Elems[0].Size)
		valOff := kv.off + int16(offs[1])
		if m.PerCPU() {
			cb.sumPerCPU(m, func() { cb.emit(asm.Mov.Reg(asm.R2, asm.R7)) })
			cb.emit(asm.StoreMem(asm.R10, valOff, asm.R0, asm.DWord))
		} else {
			copyFrom(cb, asm.R8, valOff, kv.typ.Elems[1].Size)
		}
		brk, cont, ret := cb.newLabel(), cb.newLabel(), cb.newLabel()
		cb.loops = append(cb.loops, loopLabels{brk: brk, cont: cont})
		if err := cb.withLoopVar(s, func() error { return cb.stmts(s.Body, ret) }); err != nil {
			return err
		}
		back := func(r0 int32) {
			for off := -area; off < 0; off += 8 {
				cb.emit(asm.LoadMem(asm.R1, asm.R10, int16(off), asm.DWord), asm.StoreMem(asm.R9, int16(off), asm.R1, asm.DWord))
			}
			cb.emit(asm.Mov.Imm(asm.R0, r0), asm.Return())
		}
		// The falling-through end is the next element; the other ways
		// out only where the body takes them (the verifier refuses
		// code that cannot run).
		cb.mark(cont)
		back(0)
		if referenced(cb.insns, brk) {
			cb.mark(brk)
			back(1)
		}
		if referenced(cb.insns, ret) {
			cb.mark(ret)
			cb.emit(storeImm(asm.R9, retSlot, 1))
			back(1)
		}
		return nil
	})
	if err != nil {
		return err
	}
	g.mapPtr(asm.R1, mapName(m))
	g.funcPtr(asm.R2, cb)
	g.emit(asm.Mov.Reg(asm.R3, asm.R10), asm.Mov.Imm(asm.R4, 0))
	g.call(asm.FnForEachMapElem)
	g.emit(asm.LoadMem(asm.R0, asm.R10, retSlot, asm.DWord), asm.JNE.Imm(asm.R0, 0, exit))
	return nil
}

// forKey names a for loop's own $kv slot: each loop has its own, typed
// by its map, which withLoopVar shows under the variable's name while
// the body is typed and generated.
func forKey(s *For) string { return fmt.Sprintf("%s#%d:%d", s.Var, s.Pos.Line, s.Pos.Col) }

// withLoopVar runs fn with $kv naming loop s's slot.
func (g *gen) withLoopVar(s *For, fn func() error) error {
	slot, ok := g.vars[forKey(s)]
	if !ok {
		return fn()
	}
	prev, had := g.vars[s.Var]
	g.vars[s.Var] = slot
	err := fn()
	if had {
		g.vars[s.Var] = prev
	} else {
		delete(g.vars, s.Var)
	}
	return err
}

// referenced reports whether an instruction jumps to label.
func referenced(insns asm.Instructions, label string) bool {
	for _, ins := range insns {
		if ins.Reference() == label {
			return true
		}
	}
	return false
}

// hasFor reports whether a body holds a for loop.
func hasFor(body []Stmt) bool {
	for _, s := range body {
		if _, ok := s.(*For); ok {
			return true
		}
		for _, b := range bodies(s) {
			if hasFor(b) {
				return true
			}
		}
	}
	return false
}

// copyFrom copies n bytes (a multiple of 8) from the memory src points
// to onto the stack at off.
func copyFrom(g *gen, src asm.Register, off int16, n int) {
	for i := 0; i < n; i += 8 {
		g.emit(asm.LoadMem(asm.R1, src, int16(i), asm.DWord), asm.StoreMem(asm.R10, off+int16(i), asm.R1, asm.DWord))
	}
}

// sumPerCPU leaves in R0 the sum of a per-CPU map's value at a key over
// every possible CPU (bpf_map_lookup_percpu_elem, Linux 5.19), as
// bpftrace reads a count() or sum() in the program; key puts the key's
// address in R2, again for each CPU.
func (g *gen) sumPerCPU(m *MapInfo, key func()) {
	ncpu, err := ebpf.PossibleCPU()
	if err != nil || ncpu < 1 {
		ncpu = 1
	}
	mark := g.used
	sum, i := g.alloc(8), g.alloc(8)
	g.emit(storeImm(asm.R10, sum, 0), storeImm(asm.R10, i, 0))
	top, next, end := g.newLabel(), g.newLabel(), g.newLabel()
	g.mark(top)
	g.emit(asm.LoadMem(asm.R3, asm.R10, i, asm.DWord), asm.JGE.Imm(asm.R3, int32(ncpu), end))
	g.mapPtr(asm.R1, mapName(m))
	key()
	g.call(asm.FnMapLookupPercpuElem)
	g.emit(asm.JEq.Imm(asm.R0, 0, next),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord), asm.LoadMem(asm.R2, asm.R10, sum, asm.DWord),
		asm.Add.Reg(asm.R2, asm.R1), asm.StoreMem(asm.R10, sum, asm.R2, asm.DWord))
	g.mark(next)
	g.emit(asm.LoadMem(asm.R3, asm.R10, i, asm.DWord), asm.Add.Imm(asm.R3, 1), asm.StoreMem(asm.R10, i, asm.R3, asm.DWord), asm.Ja.Label(top))
	g.mark(end)
	g.emit(asm.LoadMem(asm.R0, asm.R10, sum, asm.DWord))
	g.release(mark)
}
