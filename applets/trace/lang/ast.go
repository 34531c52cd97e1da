package lang

// Pos is a position in the program text, 1-based.
type Pos struct{ Line, Col int }

// Program is a whole script.
type Program struct{ Probes []*Probe }

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

// Stmt is a statement.
type Stmt interface{ stmt() }

// Expr is an expression.
type Expr interface{ pos() Pos }

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
		Name  string
		Value Expr
	}
	// If is if (cond) { ... } else { ... }.
	If struct {
		Cond       Expr
		Then, Else []Stmt
	}
)

func (*ExprStmt) stmt()  {}
func (*AssignMap) stmt() {}
func (*AssignVar) stmt() {}
func (*If) stmt()        {}

type (
	// Int is an integer literal.
	Int struct {
		P Pos
		V int64
	}
	// Str is a string literal.
	Str struct {
		P Pos
		V string
	}
	// Ident is a builtin (pid, comm, args, nsecs...).
	Ident struct {
		P    Pos
		Name string
	}
	// Var is a $variable.
	Var struct {
		P    Pos
		Name string
	}
	// MapRef is @name or @name[k1, k2]; Name is "" for the anonymous @.
	MapRef struct {
		P    Pos
		Name string
		Keys []Expr
	}
	// Call is f(args).
	Call struct {
		P    Pos
		Name string
		Args []Expr
	}
	// Field is x->f or x.f (args->filename, curtask->pid).
	Field struct {
		P    Pos
		X    Expr
		Name string
	}
	// Binary is l op r.
	Binary struct {
		P    Pos
		Op   string
		L, R Expr
	}
	// Unary is op x (!, ~, -).
	Unary struct {
		P  Pos
		Op string
		X  Expr
	}
	// Cast is (TYPE)x: TYPE is an integer type ("uint32") or, with Ptr
	// stars, a kernel struct or union ("struct task_struct").
	Cast struct {
		P    Pos
		Type string
		Ptr  int
		X    Expr
	}
	// Ternary is c ? t : f.
	Ternary struct {
		P       Pos
		C, T, F Expr
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
func (e *Cast) pos() Pos    { return e.P }
