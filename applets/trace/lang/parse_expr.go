package lang

import (
	"fmt"
	"strconv"
)

// Binary operator precedence, loosest first (C's order).
var precedence = [][]string{
	{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", "<=", ">", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
}

func (p *parser) expr() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	c, err := p.binary(0)
	if err != nil {
		return nil, err
	}
	t, err := p.peek()
	if err != nil || !(t.kind == tPunct && t.text == "?") {
		return c, err
	}
	p.next()
	tv, err := p.expr()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(":"); err != nil {
		return nil, err
	}
	fv, err := p.expr()
	if err != nil {
		return nil, err
	}
	return &Ternary{P: t.pos, E: p.end, C: c, T: tv, F: fv}, nil
}

func (p *parser) binary(level int) (Expr, error) {
	if level == len(precedence) {
		return p.unary()
	}
	l, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind != tPunct || !contains(precedence[level], t.text) || (t.text == "/" && p.inPred) {
			return l, nil
		}
		p.next()
		r, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = &Binary{P: t.pos, E: p.end, Op: t.text, L: l, R: r}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// enter counts one more level of nesting.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		t, _ := p.peek()
		return errTok(t, "expression nested more than %d deep", maxDepth)
	}
	return nil
}

func (p *parser) unary() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind == tPunct && (t.text == "!" || t.text == "~" || t.text == "-" || t.text == "*") {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if n, ok := x.(*Int); ok && t.text == "-" {
			return &Int{P: t.pos, E: p.end, V: -n.V}, nil
		}
		return &Unary{P: t.pos, E: p.end, Op: t.text, X: x}, nil
	}
	return p.postfix()
}

func (p *parser) postfix() (Expr, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind == tPunct && t.text == "[" {
			if _, isMap := x.(*MapRef); !isMap {
				// x[i]: an element of a pointer's, an array's or an
				// address's (sema_index.go).
				p.next()
				saved := p.inPred
				p.inPred = false
				idx, err := p.expr()
				p.inPred = saved
				if err != nil {
					return nil, err
				}
				if _, err := p.expect("]"); err != nil {
					return nil, err
				}
				x = &Index{P: t.pos, E: p.end, X: x, I: idx}
				continue
			}
		}
		if t.kind != tPunct || (t.text != "->" && t.text != ".") {
			return x, nil
		}
		p.next()
		name, err := p.next()
		if err != nil {
			return nil, err
		}
		if name.kind == tInt && t.text == "." && name.num >= 0 {
			// A tuple's element: $t.0
			x = &Field{P: t.pos, E: p.end, X: x, Op: t.text, Name: strconv.FormatInt(name.num, 10)}
			continue
		}
		if name.kind != tIdent {
			return nil, errTok(name, "expected a field name after %s, found %s", t.text, describe(name))
		}
		x = &Field{P: t.pos, E: p.end, X: x, Op: t.text, Name: name.text}
	}
}

func (p *parser) primary() (Expr, error) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case tInt:
		return &Int{P: t.pos, E: t.end, V: t.num}, nil
	case tStr:
		return &Str{P: t.pos, E: t.end, V: t.text}, nil
	case tVar:
		return &Var{P: t.pos, E: t.end, Name: t.text}, nil
	case tMap:
		m := &MapRef{P: t.pos, E: t.end, Name: t.text}
		if ok, err := p.accept("["); err != nil {
			return nil, err
		} else if ok {
			if m.Keys, err = p.list("]"); err != nil {
				return nil, err
			}
			m.E = p.end
		}
		return m, nil
	case tIdent:
		if ok, err := p.accept("("); err != nil {
			return nil, err
		} else if ok {
			if t.text == "sizeof" || t.text == "offsetof" {
				return p.typeCall(t)
			}
			args, err := p.list(")")
			if err != nil {
				return nil, err
			}
			return &Call{P: t.pos, E: p.end, Name: t.text, Args: args}, nil
		}
		return &Ident{P: t.pos, E: t.end, Name: t.text}, nil
	case tPunct:
		if t.text == "(" {
			if c, ok, err := p.cast(t.pos); ok || err != nil {
				return c, err
			}
			saved := p.inPred
			p.inPred = false
			x, err := p.expr()
			if err != nil {
				p.inPred = saved
				return nil, err
			}
			if ok, err := p.accept(","); err != nil || ok {
				p.inPred = saved
				if err != nil {
					return nil, err
				}
				rest, err := p.list(")")
				if err != nil {
					return nil, err
				}
				return &Tuple{P: t.pos, E: p.end, Elems: append([]Expr{x}, rest...)}, nil
			}
			p.inPred = saved
			_, err = p.expect(")")
			return x, err
		}
	}
	return nil, errTok(t, "unexpected %s", describe(t))
}

// list reads comma-separated expressions up to the closing punctuation.
func (p *parser) list(closing string) ([]Expr, error) {
	var out []Expr
	if ok, err := p.accept(closing); err != nil || ok {
		return out, err
	}
	saved := p.inPred
	p.inPred = false
	defer func() { p.inPred = saved }()
	for {
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tPunct && t.text == closing {
			return out, nil
		}
		if t.kind != tPunct || t.text != "," {
			return nil, errTok(t, "expected ',' or %q, found %s", closing, describe(t))
		}
	}
}

// intTypes are the integer types a cast can name.
var intTypes = map[string]bool{
	"int8": true, "int16": true, "int32": true, "int64": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true,
}

// cast reads "TYPE)x" after a '(' when a type follows: (uint32)x,
// (struct task_struct *)arg0. ok is false when the '(' only groups.
func (p *parser) cast(at Pos) (Expr, bool, error) {
	t, err := p.peek()
	if err != nil || t.kind != tIdent {
		return nil, false, err
	}
	c := &Cast{P: at}
	switch {
	case t.text == "struct" || t.text == "union":
		p.next()
		name, err := p.next()
		if err != nil {
			return nil, true, err
		}
		if name.kind != tIdent {
			return nil, true, errTok(name, "expected a %s name, found %s", t.text, describe(name))
		}
		c.Type = t.text + " " + name.text
	case intTypes[t.text]:
		p.next()
		c.Type = t.text
	default:
		return nil, false, nil
	}
	for {
		ok, err := p.accept("*")
		if err != nil {
			return nil, true, err
		}
		if !ok {
			break
		}
		c.Ptr++
	}
	if _, err := p.expect(")"); err != nil {
		return nil, true, err
	}
	if c.Ptr == 0 && !intTypes[c.Type] {
		return nil, true, &Error{Pos: at, End: p.end, Msg: fmt.Sprintf("cannot cast to %s: only to a pointer to it, (%s *)", c.Type, c.Type)}
	}
	c.X, err = p.unary()
	c.E = p.end
	return c, true, err
}

// typeCall reads sizeof(TYPE), sizeof(expr) and offsetof(TYPE, field):
// a type where one is named, else an expression.
func (p *parser) typeCall(name token) (Expr, error) {
	var args []Expr
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind == tIdent && (t.text == "struct" || t.text == "union" || intTypes[t.text]) {
		p.next()
		ref := &TypeRef{P: t.pos, Type: t.text}
		if t.text == "struct" || t.text == "union" {
			n, err := p.next()
			if err != nil {
				return nil, err
			}
			if n.kind != tIdent {
				return nil, errTok(n, "expected a %s name, found %s", t.text, describe(n))
			}
			ref.Type += " " + n.text
		}
		for {
			ok, err := p.accept("*")
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			ref.Ptr++
		}
		ref.E = p.end
		args = append(args, ref)
		if ok, err := p.accept(","); err != nil {
			return nil, err
		} else if ok {
			rest, err := p.list(")")
			if err != nil {
				return nil, err
			}
			args = append(args, rest...)
		} else if _, err := p.expect(")"); err != nil {
			return nil, err
		}
	} else if args, err = p.list(")"); err != nil {
		return nil, err
	}
	return &Call{P: name.pos, E: p.end, Name: name.text, Args: args}, nil
}
