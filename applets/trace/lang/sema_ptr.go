package lang

import (
	"strings"

	"github.com/cilium/ebpf/btf"
)

// tracepointPointee types what a tracepoint field of C type typ (a
// pointer: "const char *", "const char *const *", "u32 *") points to,
// so that args->argv[1] and *(args->filename) read what C would; nil
// when typ is no pointer or its base type is not known here.
func (g *gen) tracepointPointee(typ string) btf.Type {
	typ = strings.TrimSpace(typ)
	stars := strings.Count(typ, "*")
	if stars == 0 {
		return nil
	}
	// The base type is what comes before the first '*', qualifiers aside.
	base := strings.Fields(strings.ReplaceAll(typ[:strings.Index(typ, "*")], "const", " "))
	name := strings.Join(base, " ")
	var t btf.Type
	switch {
	case name == "void":
		t = &btf.Void{}
	case strings.HasPrefix(name, "struct ") || strings.HasPrefix(name, "union "):
		st, err := g.c.typeNamed(name)
		if err != nil {
			return nil
		}
		t = st
	default:
		it, ok := ctypeSizes[name]
		if !ok {
			return nil
		}
		enc := btf.Unsigned
		if it.signed {
			enc = btf.Signed
		}
		if name == "char" {
			enc = btf.Char
		}
		t = &btf.Int{Name: name, Size: uint32(it.size), Encoding: enc}
	}
	for range stars - 1 {
		t = &btf.Pointer{Target: t}
	}
	return t
}

// isPtr: an integer that is a pointer of known target.
func isPtr(t Type) bool { return t.Kind == KInt && t.Ptr != nil }

// ptrArith types p + n, n + p and p - n for a pointer p and an integer
// n: a pointer of p's type, n elements on (as C and bpftrace count);
// ok is false for any other operands.
func (g *gen) ptrArith(e *Binary, lt, rt Type) (t Type, scaleLeft, scaleRight int, ok bool, err error) {
	switch {
	case (e.Op == "+" || e.Op == "-") && isPtr(lt) && !isPtr(rt) && rt.Kind == KInt:
		n, err := g.elemSize(e, lt)
		return lt, 1, n, true, err
	case e.Op == "+" && isPtr(rt) && !isPtr(lt) && lt.Kind == KInt:
		n, err := g.elemSize(e, rt)
		return rt, n, 1, true, err
	}
	return Type{}, 1, 1, false, nil
}

// elemSize is the size of what pointer p points to: the step of its
// arithmetic (void counts 1, as GNU C does).
func (g *gen) elemSize(e Expr, p Type) (int, error) {
	target := g.pointee(p.Ptr)
	if _, ok := target.(*btf.Void); ok {
		return 1, nil
	}
	n, err := btf.Sizeof(target)
	if err != nil || n <= 0 {
		return 0, errAt(e, "arithmetic on a %s: the size of what it points to is unknown here", btfName(p.Ptr)+" *")
	}
	return n, nil
}
