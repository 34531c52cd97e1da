package lang

import (
	"net/netip"

	"github.com/cilium/ebpf/btf"
)

// indexType types x[i]: a pointer's element (*(x + i)); a byte of a
// uint8[N] tracepoint field or of pton()'s address; an element of an
// array member of a struct. Arrays take a literal index, checked here.
func (g *gen) indexType(e *Index) (Type, error) {
	if f, ok := e.X.(*Field); ok && !isArgs(f) && !isTupleIndex(f) {
		if arr, ok := g.memberArray(f); ok {
			if _, err := g.literalIndex(e, arr.n); err != nil {
				return Type{}, err
			}
			return arr.typ, nil
		}
	}
	xt, err := g.typeOf(e.X)
	if err != nil {
		return Type{}, err
	}
	if it, err := g.typeOf(e.I); err != nil || it.Kind != KInt {
		return Type{}, firstErr(err, errAt(e.I, "an index must be an integer"))
	}
	switch {
	case isPtr(xt):
		return g.typeOf(e.ptrForm())
	case xt.Kind == KBytes:
		if _, err := g.literalIndex(e, xt.Size); err != nil {
			return Type{}, err
		}
		return Type{Kind: KInt, Size: 8, Bits: 8}, nil
	}
	return Type{}, errAt(e, "%s cannot be indexed: it is %s, not a pointer or an array", exprString(e.X), xt)
}

// ptrForm is *(x + i).
func (e *Index) ptrForm() Expr {
	if e.deref == nil {
		e.deref = &Unary{P: e.P, E: e.E, Op: "*", X: &Binary{P: e.P, E: e.E, Op: "+", L: e.X, R: e.I}}
	}
	return e.deref
}

// literalIndex is an array's index, a literal below n.
func (g *gen) literalIndex(e *Index, n int) (int, error) {
	lit, ok := e.I.(*Int)
	if !ok {
		return 0, errAt(e.I, "an array's index must be an integer literal here")
	}
	if lit.V < 0 || lit.V >= int64(n) {
		return 0, errAt(e.I, "index %d is out of range: the array has %d elements", lit.V, n)
	}
	return int(lit.V), nil
}

// arrayMember is a struct member that is an array of numbers or
// pointers: where it is, and how to read one element.
type arrayMember struct {
	off  int // bytes from the struct's start
	n    int // elements
	elem memberInfo
	typ  Type
}

// memberArray finds x->name or x.name when it is such an array.
func (g *gen) memberArray(e *Field) (arrayMember, bool) {
	comp, err := g.composite(e)
	if err != nil {
		return arrayMember{}, false
	}
	m, bits, ok := findMember(comp, e.Name)
	if !ok || m.BitfieldSize > 0 {
		return arrayMember{}, false
	}
	arr, ok := btf.UnderlyingType(m.Type).(*btf.Array)
	if !ok {
		return arrayMember{}, false
	}
	a := arrayMember{off: int(bits / 8), n: int(arr.Nelems)}
	switch el := btf.UnderlyingType(arr.Type).(type) {
	case *btf.Int:
		a.elem = memberInfo{size: int(el.Size), signed: el.Encoding&btf.Signed != 0}
		a.typ = Type{Kind: KInt, Size: 8, Bits: 8 * int(el.Size)}
	case *btf.Enum:
		a.elem = memberInfo{size: int(el.Size), signed: el.Signed}
		a.typ = intType
	case *btf.Pointer:
		a.elem = memberInfo{size: 8}
		a.typ = Type{Kind: KInt, Size: 8, Ptr: el.Target, User: g.userBase(e)}
	default:
		return arrayMember{}, false
	}
	if a.elem.size != 2 && a.elem.size != 4 && a.elem.size != 8 {
		// Byte arrays are strings (comm), as in bpftrace, which
		// refuses to index them.
		return arrayMember{}, false
	}
	return a, true
}

// ptonBytes is pton("addr")'s address: 4 bytes for IPv4, 16 for IPv6.
func ptonBytes(e *Call) ([]byte, error) {
	if len(e.Args) != 1 {
		return nil, errAt(e, "pton() takes one address: pton(\"127.0.0.1\")")
	}
	lit, ok := e.Args[0].(*Str)
	if !ok {
		return nil, errAt(e.Args[0], "pton() takes a string literal")
	}
	a, err := netip.ParseAddr(lit.V)
	if err != nil || a.Zone() != "" {
		return nil, errAt(e.Args[0], "pton(%q): not an IPv4 or IPv6 address", lit.V)
	}
	if a.Is4() {
		b := a.As4()
		return b[:], nil
	}
	b := a.As16()
	return b[:], nil
}
