package lang

import "strconv"

// tupleType types (a, b, ...). Integers are 64-bit, strings keep their
// size (a variable or map holding tuples takes the longest, widenTuple);
// values printed by name (ksym(), ntop()...) and tuples keep their kind.
// Stacks stay out: they print on lines of their own.
func (g *gen) tupleType(e *Tuple) (Type, error) {
	t := Type{Kind: KTuple}
	for _, x := range e.Elems {
		et, err := g.typeOf(x)
		if err != nil {
			return Type{}, err
		}
		switch {
		case et.Kind == KInt:
			et = intType
		case et.Kind == KStr:
		case et.Kind == KTuple, isValueKind(et.Kind) && et.Kind != KKstack && et.Kind != KUstack:
		default:
			return Type{}, errAt(x, "a tuple cannot hold a %s", et)
		}
		t.Elems = append(t.Elems, et)
	}
	_, t.Size = TupleOffsets(t.Elems)
	return t, nil
}

// widenTuple is what holds both a and b, tuples of one shape: each
// string as long as the longer. A shape that differs is left to the
// assignment's own check.
func widenTuple(a, b Type) Type {
	if a.Kind != KTuple || b.Kind != KTuple || len(a.Elems) != len(b.Elems) {
		return a
	}
	w := Type{Kind: KTuple, Elems: make([]Type, len(a.Elems))}
	for i, ae := range a.Elems {
		be := b.Elems[i]
		switch {
		case ae.Kind != be.Kind:
			return a
		case ae.Kind == KStr && be.Size > ae.Size:
			w.Elems[i] = be
		case ae.Kind == KTuple:
			w.Elems[i] = widenTuple(ae, be)
		default:
			w.Elems[i] = ae
		}
	}
	_, w.Size = TupleOffsets(w.Elems)
	return w
}

// TupleOffsets gives where each element of a tuple starts, each 8-aligned,
// and the tuple's size.
func TupleOffsets(elems []Type) ([]int, int) {
	offs := make([]int, len(elems))
	n := 0
	for i, e := range elems {
		offs[i] = n
		n += roundStr(e.Size)
	}
	return offs, n
}

// isTupleIndex: e is x.N, which only a tuple has.
func isTupleIndex(e *Field) bool {
	return e.Op == "." && e.Name != "" && e.Name[0] >= '0' && e.Name[0] <= '9'
}

// tupleElem types x.N: the element's type and its offset in the tuple.
func (g *gen) tupleElem(e *Field) (Type, int, error) {
	xt, err := g.typeOf(e.X)
	if err != nil {
		return Type{}, 0, err
	}
	if xt.Kind != KTuple {
		return Type{}, 0, errAt(e, "%s is %s, not a tuple: .%s reads a tuple's element", exprString(e.X), xt, e.Name)
	}
	i, err := strconv.Atoi(e.Name)
	if err != nil || i >= len(xt.Elems) {
		return Type{}, 0, errAt(e, "the tuple has %d elements: .%s is out of range", len(xt.Elems), e.Name)
	}
	offs, _ := TupleOffsets(xt.Elems)
	return xt.Elems[i], offs[i], nil
}
