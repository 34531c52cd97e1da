package lang

import "github.com/cilium/ebpf/asm"

// genTuple writes (a, b, ...) at off as t lays it out, padding zeroed:
// a tuple is stored, compared as a map key and printed whole.
func (g *gen) genTuple(e *Tuple, t Type, off int16) error {
	if len(e.Elems) != len(t.Elems) {
		return errAt(e, "a tuple of %d elements where %s is expected", len(e.Elems), t)
	}
	g.zero(off, t.Size)
	offs, _ := TupleOffsets(t.Elems)
	for i, x := range e.Elems {
		own, err := g.typeOf(x)
		if err != nil {
			return err
		}
		if own.Kind != t.Elems[i].Kind {
			return errAt(x, "type mismatch: element %d of this tuple is %s, elsewhere %s", i, own, t.Elems[i])
		}
		if err := g.genValue(x, t.Elems[i], off+int16(offs[i])); err != nil {
			return err
		}
	}
	return nil
}

// tupleBase follows x.N.M... down to the expression that holds the
// tuple, adding up the elements' offsets.
func (g *gen) tupleBase(e *Field) (base Expr, off int, et Type, err error) {
	et, eoff, err := g.tupleElem(e)
	if err != nil {
		return nil, 0, Type{}, err
	}
	if inner, ok := e.X.(*Field); ok && isTupleIndex(inner) {
		base, off, _, err = g.tupleBase(inner)
		return base, off + eoff, et, err
	}
	return e.X, eoff, et, nil
}

// copyTupleElem writes element x.N into size bytes at dst: from a
// variable's slot or a map's value in place, else from a copy of the
// whole tuple.
func (g *gen) copyTupleElem(e *Field, dst int16, size int) error {
	base, eoff, et, err := g.tupleBase(e)
	if err != nil {
		return err
	}
	n := min(size, et.Size)
	switch b := base.(type) {
	case *Var:
		g.zero(dst, size)
		g.copyStack(dst, g.vars[b.Name].off+int16(eoff), n)
		return nil
	case *MapRef:
		return g.mapCopyAt(b, dst, size, eoff, n)
	}
	bt, err := g.typeOf(base)
	if err != nil {
		return err
	}
	mark := g.used
	tmp := g.alloc(bt.Size)
	if err := g.genValue(base, bt, tmp); err != nil {
		return err
	}
	g.zero(dst, size)
	g.copyStack(dst, tmp+int16(eoff), n)
	g.release(mark)
	return nil
}

// genTupleInt leaves an integer element x.N in R0.
func (g *gen) genTupleInt(e *Field) error {
	base, eoff, et, err := g.tupleBase(e)
	if err != nil {
		return err
	}
	if et.Kind != KInt {
		return errAt(e, "element %s is %s, not an integer", e.Name, et)
	}
	if v, ok := base.(*Var); ok {
		g.emit(asm.LoadMem(asm.R0, asm.R10, g.vars[v.Name].off+int16(eoff), asm.DWord))
		return nil
	}
	mark := g.used
	tmp := g.alloc(8)
	if err := g.copyTupleElem(e, tmp, 8); err != nil {
		return err
	}
	g.emit(asm.LoadMem(asm.R0, asm.R10, tmp, asm.DWord))
	g.release(mark)
	return nil
}
