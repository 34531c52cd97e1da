package lang

// Pos is a position in the program text, 1-based.
type Pos struct{ Line, Col int }

// Program is a whole script.
type Program struct {
	Probes []*Probe
	// Structs are the struct and union definitions of the program and
	// of the headers it includes.
	Structs []*StructDef
	// Src is the program text, for errors that quote it.
	Src string
}

// Probe is one action block with its attach points and predicate.
type Probe struct {
	Pos    Pos
	Points []AttachPoint
	Pred   Expr // nil when there is none
	Body   []Stmt
}

// AttachPoint is "tracepoint:sched:sched_switch", "BEGIN", "interval:s:1"...
type AttachPoint struct {
	Pos  Pos
	Text string
}

// end is just past the attach point's text.
func (ap AttachPoint) end() Pos { return Pos{ap.Pos.Line, ap.Pos.Col + len(ap.Text)} }

// Stmt is a statement.
type Stmt interface{ stmt() }

// Expr is an expression. pos is where its own token is (an operator's,
// a call's name); end is just past its last token, for error spans.
type Expr interface {
	pos() Pos
	end() Pos
}

type (
	// ExprStmt is a call used as a statement: printf(), exit(), delete()...
	ExprStmt struct{ X Expr }
	// AssignMap is @name[keys] = value.
	AssignMap struct {
		Map   *MapRef
		Value Expr
	}
	// AssignVar is $name = value.
	AssignVar struct {
		Pos   Pos
		End   Pos // just past $name
		Name  string
		Value Expr
	}
	// If is if (cond) { ... } else { ... }.
	If struct {
		Cond       Expr
		Then, Else []Stmt
	}
)

// While is while (cond) { ... }; Unroll is unroll(N) { ... }; Jump is
// break, continue or return.
type (
	While struct {
		Pos  Pos
		Cond Expr
		Body []Stmt
	}
	Unroll struct {
		Pos  Pos
		N    int
		Body []Stmt
	}
	Jump struct {
		Pos  Pos
		End  Pos
		Kind string
	}
	// For is for ($kv : @map) { ... }: $kv is (key, value) of each
	// element in turn.
	For struct {
		Pos  Pos
		Var  string
		Map  *MapRef
		Body []Stmt
	}
)

func (*While) stmt()  {}
func (*Unroll) stmt() {}
func (*Jump) stmt()   {}
func (*For) stmt()    {}

func (*ExprStmt) stmt()  {}
func (*AssignMap) stmt() {}
func (*AssignVar) stmt() {}
func (*If) stmt()        {}

type (
	// Int is an integer literal.
	Int struct {
		P Pos
		E Pos
		V int64
	}
	// Str is a string literal.
	Str struct {
		P Pos
		E Pos
		V string
	}
	// Ident is a builtin (pid, comm, args, nsecs...).
	Ident struct {
		P    Pos
		E    Pos
		Name string
	}
	// Var is a $variable.
	Var struct {
		P    Pos
		E    Pos
		Name string
	}
	// MapRef is @name or @name[k1, k2]; Name is "" for the anonymous @.
	MapRef struct {
		P    Pos
		E    Pos
		Name string
		Keys []Expr
	}
	// Call is f(args).
	Call struct {
		P    Pos
		E    Pos
		Name string
		Args []Expr
	}
	// Field is x->f or x.f (args->filename, curtask->pid); Op is "->"
	// or ".", kept to print the program back as written.
	Field struct {
		P    Pos
		E    Pos
		X    Expr
		Op   string
		Name string
	}
	// Binary is l op r.
	Binary struct {
		P    Pos
		E    Pos
		Op   string
		L, R Expr
	}
	// Unary is op x (!, ~, -, and * to dereference a pointer).
	Unary struct {
		P  Pos
		E  Pos
		Op string
		X  Expr
	}
	// Cast is (TYPE)x: TYPE is an integer type ("uint32") or, with Ptr
	// stars, a kernel struct or union ("struct task_struct").
	Cast struct {
		P    Pos
		E    Pos
		Type string
		Ptr  int
		X    Expr
	}
	// TypeRef is a type named as an argument: sizeof(struct task_struct),
	// offsetof(struct sock, sk_rcvbuf).
	TypeRef struct {
		P    Pos
		E    Pos
		Type string
		Ptr  int
	}
	// Ternary is c ? t : f.
	Ternary struct {
		P       Pos
		E       Pos
		C, T, F Expr
	}
	// Index is x[i] of a pointer (*(x + i), as in C), an array member or
	// field, or pton()'s address.
	Index struct {
		P, E Pos
		X, I Expr
		// deref is *(x + i), the pointer case, made once when typed.
		deref Expr
	}
	// Tuple is (a, b, ...): two or more values kept together; x.0 reads
	// the first.
	Tuple struct {
		P     Pos
		E     Pos
		Elems []Expr
	}
)

func (e *Int) pos() Pos     { return e.P }
func (e *Str) pos() Pos     { return e.P }
func (e *Ident) pos() Pos   { return e.P }
func (e *Var) pos() Pos     { return e.P }
func (e *MapRef) pos() Pos  { return e.P }
func (e *Call) pos() Pos    { return e.P }
func (e *Field) pos() Pos   { return e.P }
func (e *Binary) pos() Pos  { return e.P }
func (e *Unary) pos() Pos   { return e.P }
func (e *Ternary) pos() Pos { return e.P }
func (e *TypeRef) pos() Pos { return e.P }
func (e *TypeRef) end() Pos { return e.E }
func (e *Cast) pos() Pos    { return e.P }
func (e *Tuple) pos() Pos   { return e.P }
func (e *Index) pos() Pos   { return e.P }
func (e *Index) end() Pos   { return e.E }
func (e *Tuple) end() Pos   { return e.E }
func (e *Int) end() Pos     { return e.E }
func (e *Str) end() Pos     { return e.E }
func (e *Ident) end() Pos   { return e.E }
func (e *Var) end() Pos     { return e.E }
func (e *MapRef) end() Pos  { return e.E }
func (e *Call) end() Pos    { return e.E }
func (e *Field) end() Pos   { return e.E }
func (e *Binary) end() Pos  { return e.E }
func (e *Unary) end() Pos   { return e.E }
func (e *Ternary) end() Pos { return e.E }
func (e *Cast) end() Pos    { return e.E }

// start is where an expression's text begins: its leftmost token.
func start(e Expr) Pos {
	switch e := e.(type) {
	case *Field:
		return start(e.X)
	case *Index:
		return start(e.X)
	case *Binary:
		return start(e.L)
	case *Ternary:
		return start(e.C)
	}
	return e.pos()
}

// bodies lists the statement lists nested in s: an if's branches, a
// loop's body.
func bodies(s Stmt) [][]Stmt {
	switch s := s.(type) {
	case *If:
		return [][]Stmt{s.Then, s.Else}
	case *While:
		return [][]Stmt{s.Body}
	case *Unroll:
		return [][]Stmt{s.Body}
	case *For:
		return [][]Stmt{s.Body}
	}
	return nil
}

// Args0 is the first argument, nil when there is none.
func (e *Call) Args0() Expr {
	if len(e.Args) == 0 {
		return nil
	}
	return e.Args[0]
}
