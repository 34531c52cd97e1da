package lang

// Binary operator precedence, loosest first (C's order).
var precedence = [][]string{
	{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", "<=", ">", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
}

func (p *parser) expr() (Expr, error) {
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
	return &Ternary{P: t.pos, C: c, T: tv, F: fv}, nil
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
		l = &Binary{P: t.pos, Op: t.text, L: l, R: r}
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

func (p *parser) unary() (Expr, error) {
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind == tPunct && (t.text == "!" || t.text == "~" || t.text == "-") {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if n, ok := x.(*Int); ok && t.text == "-" {
			return &Int{P: t.pos, V: -n.V}, nil
		}
		return &Unary{P: t.pos, Op: t.text, X: x}, nil
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
		if t.kind != tPunct || (t.text != "->" && t.text != ".") {
			return x, nil
		}
		p.next()
		name, err := p.next()
		if err != nil {
			return nil, err
		}
		if name.kind != tIdent {
			return nil, p.lx.errf(name.pos, "expected a field name after %s, found %s", t.text, describe(name))
		}
		x = &Field{P: t.pos, X: x, Name: name.text}
	}
}

func (p *parser) primary() (Expr, error) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case tInt:
		return &Int{P: t.pos, V: t.num}, nil
	case tStr:
		return &Str{P: t.pos, V: t.text}, nil
	case tVar:
		return &Var{P: t.pos, Name: t.text}, nil
	case tMap:
		m := &MapRef{P: t.pos, Name: t.text}
		if ok, err := p.accept("["); err != nil {
			return nil, err
		} else if ok {
			if m.Keys, err = p.list("]"); err != nil {
				return nil, err
			}
		}
		return m, nil
	case tIdent:
		if ok, err := p.accept("("); err != nil {
			return nil, err
		} else if ok {
			args, err := p.list(")")
			if err != nil {
				return nil, err
			}
			return &Call{P: t.pos, Name: t.text, Args: args}, nil
		}
		return &Ident{P: t.pos, Name: t.text}, nil
	case tPunct:
		if t.text == "(" {
			saved := p.inPred
			p.inPred = false
			x, err := p.expr()
			p.inPred = saved
			if err != nil {
				return nil, err
			}
			_, err = p.expect(")")
			return x, err
		}
	}
	return nil, p.lx.errf(t.pos, "unexpected %s", describe(t))
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
			return nil, p.lx.errf(t.pos, "expected ',' or %q, found %s", closing, describe(t))
		}
	}
}
