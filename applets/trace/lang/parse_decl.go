package lang

// StructDef is a struct or union defined in the program or a header it
// includes: struct nameidata { struct path path; int last_type; };
type StructDef struct {
	Pos    Pos
	File   string // where it was written, for errors
	Kind   string // "struct" or "union"
	Name   string
	Fields []FieldDecl
}

// FieldDecl is one member: Type is the base type as written ("unsigned
// int", "struct path"), then Ptr stars and an Array length (0: none).
type FieldDecl struct {
	Pos   Pos
	Type  string
	Ptr   int
	Array int
	Name  string
}

// ParseDecls reads a header that holds only struct and union definitions
// (after preprocessing).
func ParseDecls(file, src string) (defs []*StructDef, err error) {
	p := &parser{lx: newLexer(src)}
	defer func() {
		if e, ok := err.(*Error); ok {
			e.File, e.Src = file, src
		}
	}()
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind == tEOF {
			return defs, nil
		}
		if !p.atDecl() {
			return nil, errTok(t, "a header can hold only struct and union definitions here, found %s", describe(t))
		}
		d, err := p.structDef()
		if err != nil {
			return nil, err
		}
		d.File = file
		defs = append(defs, d)
	}
}

// atDecl reports whether a struct or union definition comes next:
// "struct NAME {".
func (p *parser) atDecl() bool {
	s := p.save()
	defer p.restore(s)
	kw, err := p.lx.next()
	if err != nil || kw.kind != tIdent || (kw.text != "struct" && kw.text != "union") {
		return false
	}
	name, err := p.lx.next()
	if err != nil || name.kind != tIdent {
		return false
	}
	brace, err := p.lx.next()
	return err == nil && brace.kind == tPunct && brace.text == "{"
}

// structDef reads "struct NAME { members }" and the ';' C puts after it,
// which bpftrace does not require before a probe.
func (p *parser) structDef() (*StructDef, error) {
	kw, _ := p.next()
	name, _ := p.next()
	p.next() // {
	d := &StructDef{Pos: kw.pos, Kind: kw.text, Name: name.text}
	for {
		if ok, err := p.accept("}"); err != nil {
			return nil, err
		} else if ok {
			break
		}
		fields, err := p.fieldDecls()
		if err != nil {
			return nil, err
		}
		d.Fields = append(d.Fields, fields...)
	}
	if _, err := p.accept(";"); err != nil {
		return nil, err
	}
	return d, nil
}

// cTypeWords are the words a C base type is spelled with.
var cTypeWords = map[string]bool{
	"unsigned": true, "signed": true, "char": true, "short": true, "int": true, "long": true,
	"const": true, "volatile": true, "_Bool": true, "bool": true, "void": true,
}

// fieldDecls reads "TYPE a, *b, c[4];".
func (p *parser) fieldDecls() ([]FieldDecl, error) {
	first, err := p.peek()
	if err != nil {
		return nil, err
	}
	// Words up to the first non-word: the base type, and the first
	// member's name when no '*' follows.
	var base []string
	var lastWord token
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if t.kind != tIdent {
			break
		}
		p.next()
		lastWord = t
		if t.text == "struct" || t.text == "union" || t.text == "enum" {
			n, err := p.next()
			if err != nil {
				return nil, err
			}
			if n.kind != tIdent {
				return nil, errTok(n, "nested %s definitions are not supported: define it on its own and name it", t.text)
			}
			base = append(base, t.text+" "+n.text)
			continue
		}
		if t.text != "const" && t.text != "volatile" {
			base = append(base, t.text)
		}
	}
	var firstName *token
	if t, err := p.peek(); err == nil && !(t.kind == tPunct && t.text == "*") && len(base) > 1 {
		firstName = &lastWord
		base = base[:len(base)-1]
	}
	if len(base) == 0 {
		return nil, errTok(first, "expected a member type, found %s", describe(first))
	}
	typ := joinWords(base)
	var out []FieldDecl
	for {
		f := FieldDecl{Type: typ}
		for {
			ok, err := p.accept("*")
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			f.Ptr++
		}
		var n token
		if firstName != nil {
			n, firstName = *firstName, nil
		} else if n, err = p.next(); err != nil {
			return nil, err
		}
		if n.kind != tIdent {
			return nil, errTok(n, "expected a member name, found %s", describe(n))
		}
		f.Name, f.Pos = n.text, n.pos
		if ok, err := p.accept("["); err != nil {
			return nil, err
		} else if ok {
			size, err := p.next()
			if err != nil {
				return nil, err
			}
			if size.kind != tInt || size.num <= 0 || size.num > 1<<20 {
				return nil, errTok(size, "an array member needs a positive integer length, found %s", describe(size))
			}
			f.Array = int(size.num)
			if _, err := p.expect("]"); err != nil {
				return nil, err
			}
		}
		if t, err := p.peek(); err == nil && t.kind == tPunct && t.text == ":" {
			return nil, errTok(t, "bitfield members are not supported in struct definitions")
		}
		out = append(out, f)
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tPunct && t.text == ";" {
			return out, nil
		}
		if t.kind != tPunct || t.text != "," {
			return nil, errTok(t, "expected ';' or ',' after member %s, found %s", f.Name, describe(t))
		}
	}
}

func joinWords(ws []string) string {
	s := ""
	for i, w := range ws {
		if i > 0 {
			s += " "
		}
		s += w
	}
	return s
}
