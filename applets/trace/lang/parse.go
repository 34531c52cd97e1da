package lang

import "fmt"

// Parse reads a whole program. file names the source in error messages.
func Parse(file, src string) (prog *Program, err error) {
	p := &parser{lx: newLexer(src)}
	defer func() {
		if e, ok := err.(*Error); ok {
			e.File, e.Src = file, src
		}
	}()
	prog = &Program{Src: src}
	for {
		c, err := p.lx.peekByte()
		if err != nil {
			return nil, err
		}
		if c == 0 {
			break
		}
		if p.atDecl() {
			d, err := p.structDef()
			if err != nil {
				return nil, err
			}
			d.File = file
			prog.Structs = append(prog.Structs, d)
			continue
		}
		pr, err := p.probe()
		if err != nil {
			return nil, err
		}
		prog.Probes = append(prog.Probes, pr)
	}
	if len(prog.Probes) == 0 {
		return nil, &Error{File: file, Pos: Pos{1, 1}, Msg: "no probes in program"}
	}
	return prog, nil
}

type parser struct {
	lx *lexer
	// inPred: a bare '/' ends the predicate instead of dividing.
	inPred bool
	// end is just past the last token taken: where a node ends.
	end Pos
	// depth counts nested expressions, to refuse absurd nesting before
	// it exhausts the stack.
	depth int
}

const maxDepth = 200

type lexState struct{ off, line, col int }

func (p *parser) save() lexState     { return lexState{p.lx.off, p.lx.line, p.lx.col} }
func (p *parser) restore(s lexState) { p.lx.off, p.lx.line, p.lx.col = s.off, s.line, s.col }

func (p *parser) peek() (token, error) {
	s := p.save()
	t, err := p.lx.next()
	p.restore(s)
	return t, err
}

func (p *parser) next() (token, error) {
	t, err := p.lx.next()
	if err == nil {
		p.end = t.end
	}
	return t, err
}

// accept consumes the punctuation text if it comes next.
func (p *parser) accept(text string) (bool, error) {
	t, err := p.peek()
	if err != nil {
		return false, err
	}
	if t.kind == tPunct && t.text == text {
		_, err = p.next()
		return true, err
	}
	return false, nil
}

func (p *parser) expect(text string) (token, error) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if t.kind != tPunct || t.text != text {
		return t, errTok(t, "expected %q, found %s", text, describe(t))
	}
	return t, nil
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of program"
	case tIdent:
		return fmt.Sprintf("%q", t.text)
	case tInt:
		return fmt.Sprintf("%d", t.num)
	case tStr:
		return fmt.Sprintf("string %q", t.text)
	case tVar:
		return "$" + t.text
	case tMap:
		return "@" + t.text
	}
	return fmt.Sprintf("%q", t.text)
}

func (p *parser) probe() (*Probe, error) {
	ap, err := p.lx.rawAttach()
	if err != nil {
		return nil, err
	}
	pr := &Probe{Pos: ap.Pos, Points: []AttachPoint{ap}}
	for {
		c, err := p.lx.peekByte()
		if err != nil {
			return nil, err
		}
		if c != ',' {
			break
		}
		p.lx.advance(1)
		ap, err := p.lx.rawAttach()
		if err != nil {
			return nil, err
		}
		pr.Points = append(pr.Points, ap)
	}
	c, err := p.lx.peekByte()
	if err != nil {
		return nil, err
	}
	if c == '/' {
		p.lx.advance(1)
		p.inPred = true
		pr.Pred, err = p.expr()
		p.inPred = false
		if err != nil {
			return nil, err
		}
		if _, err := p.expect("/"); err != nil {
			return nil, err
		}
	}
	pr.Body, err = p.block()
	return pr, err
}

func (p *parser) block() ([]Stmt, error) {
	if _, err := p.expect("{"); err != nil {
		return nil, err
	}
	var body []Stmt
	for {
		if ok, err := p.accept("}"); err != nil || ok {
			return body, err
		}
		if ok, err := p.accept(";"); err != nil {
			return nil, err
		} else if ok {
			continue
		}
		s, err := p.stmt()
		if err != nil {
			return nil, err
		}
		body = append(body, s)
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if !isBlockStmt(s) && !(t.kind == tPunct && (t.text == ";" || t.text == "}")) {
			return nil, errTok(t, "expected ';' or '}', found %s", describe(t))
		}
	}
}

func (p *parser) stmt() (Stmt, error) {
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind == tIdent {
		switch t.text {
		case "if":
			return p.ifStmt()
		case "while":
			return p.whileStmt()
		case "for":
			return p.forStmt()
		case "unroll":
			return p.unrollStmt()
		case "break", "continue", "return":
			p.next()
			return &Jump{Pos: t.pos, End: t.end, Kind: t.text}, nil
		}
	}
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	op, err := p.peek()
	if err != nil {
		return nil, err
	}
	if op.kind == tPunct {
		switch op.text {
		case "=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^=", "++", "--":
			p.next()
			var val Expr
			switch op.text {
			case "=":
				val, err = p.expr()
			case "++", "--":
				val = &Binary{P: op.pos, E: op.end, Op: op.text[:1], L: x, R: &Int{P: op.pos, E: op.end, V: 1}}
			default:
				var r Expr
				r, err = p.expr()
				val = &Binary{P: op.pos, E: p.end, Op: op.text[:len(op.text)-1], L: x, R: r}
			}
			if err != nil {
				return nil, err
			}
			return assign(x, val, op)
		}
	}
	return &ExprStmt{X: x}, nil
}

func assign(target, val Expr, op token) (Stmt, error) {
	switch t := target.(type) {
	case *MapRef:
		return &AssignMap{Map: t, Value: val}, nil
	case *Var:
		return &AssignVar{Pos: t.P, End: t.E, Name: t.Name, Value: val}, nil
	}
	return nil, &Error{Pos: start(target), End: target.end(), Msg: fmt.Sprintf("only maps and $variables can be assigned to with %s", op.text)}
}

func (p *parser) ifStmt() (Stmt, error) {
	p.next() // if
	if _, err := p.expect("("); err != nil {
		return nil, err
	}
	saved := p.inPred
	p.inPred = false
	cond, err := p.expr()
	p.inPred = saved
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(")"); err != nil {
		return nil, err
	}
	s := &If{Cond: cond}
	if s.Then, err = p.block(); err != nil {
		return nil, err
	}
	t, err := p.peek()
	if err != nil || !(t.kind == tIdent && t.text == "else") {
		return s, err
	}
	p.next()
	t, err = p.peek()
	if err != nil {
		return nil, err
	}
	if t.kind == tIdent && t.text == "if" {
		elif, err := p.ifStmt()
		if err != nil {
			return nil, err
		}
		s.Else = []Stmt{elif}
		return s, nil
	}
	s.Else, err = p.block()
	return s, err
}

// isBlockStmt: statements that end in a block need no ';' after them.
func isBlockStmt(s Stmt) bool {
	switch s.(type) {
	case *If, *While, *Unroll, *For:
		return true
	}
	return false
}

// parenExpr reads "( expr )".
func (p *parser) parenExpr() (Expr, error) {
	if _, err := p.expect("("); err != nil {
		return nil, err
	}
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

func (p *parser) whileStmt() (Stmt, error) {
	kw, _ := p.next()
	cond, err := p.parenExpr()
	if err != nil {
		return nil, err
	}
	body, err := p.block()
	return &While{Pos: kw.pos, Cond: cond, Body: body}, err
}

// forStmt reads "for ($kv : @map) { ... }".
func (p *parser) forStmt() (Stmt, error) {
	kw, _ := p.next()
	if _, err := p.expect("("); err != nil {
		return nil, err
	}
	v, err := p.next()
	if err != nil {
		return nil, err
	}
	if v.kind != tVar {
		return nil, errTok(v, "for takes a variable and a map: for ($kv : @map), found %s", describe(v))
	}
	if _, err := p.expect(":"); err != nil {
		return nil, err
	}
	m, err := p.next()
	if err != nil {
		return nil, err
	}
	if m.kind != tMap {
		return nil, errTok(m, "for iterates over a map: for ($kv : @map), found %s", describe(m))
	}
	if _, err := p.expect(")"); err != nil {
		return nil, err
	}
	body, err := p.block()
	return &For{Pos: kw.pos, Var: v.text, Map: &MapRef{P: m.pos, E: m.end, Name: m.text}, Body: body}, err
}

// maxUnroll is bpftrace's limit on unroll(N).
const maxUnroll = 100

func (p *parser) unrollStmt() (Stmt, error) {
	kw, _ := p.next()
	n, err := p.parenExpr()
	if err != nil {
		return nil, err
	}
	lit, ok := n.(*Int)
	if !ok {
		return nil, &Error{Pos: start(n), End: n.end(), Msg: "unroll() takes an integer literal"}
	}
	if lit.V < 1 || lit.V > maxUnroll {
		return nil, &Error{Pos: start(n), End: n.end(), Msg: fmt.Sprintf("unroll() count must be between 1 and %d", maxUnroll)}
	}
	body, err := p.block()
	return &Unroll{Pos: kw.pos, N: int(lit.V), Body: body}, err
}
