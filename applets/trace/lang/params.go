package lang

import (
	"fmt"
	"strconv"
)

// The positional-parameter pass replaces $1..$N and $# with the values
// given after the program, as literals, before types are checked: a
// numeric parameter is an integer, any other is a string that only
// str($N) takes, as in bpftrace; one not given is 0 (or "" in str()).

func isParam(name string) bool {
	if name == "#" {
		return true
	}
	if name == "" || name[0] < '1' || name[0] > '9' {
		return false
	}
	_, err := strconv.Atoi(name)
	return err == nil
}

// BindParams rewrites prog's positional parameters.
func BindParams(prog *Program, params []string) (err error) {
	defer func() {
		if e, ok := err.(*Error); ok {
			e.Src = prog.Src
		}
	}()
	bind := func(e Expr) (Expr, error) {
		if c, ok := e.(*Call); ok && c.Name == "str" && len(c.Args) >= 1 {
			if v, ok := c.Args[0].(*Var); ok && v.Name != "#" && isParam(v.Name) {
				n, _ := strconv.Atoi(v.Name)
				text := ""
				if n <= len(params) {
					text = params[n-1]
				}
				c.Args[0] = &Str{P: v.P, E: v.E, V: text}
			}
			return nil, nil
		}
		v, ok := e.(*Var)
		if !ok || !isParam(v.Name) {
			return nil, nil
		}
		if v.Name == "#" {
			return &Int{P: v.P, E: v.E, V: int64(len(params))}, nil
		}
		n, _ := strconv.Atoi(v.Name)
		if n > len(params) {
			return &Int{P: v.P, E: v.E}, nil
		}
		x, err := strconv.ParseInt(params[n-1], 0, 64)
		if err != nil {
			return nil, &Error{Pos: v.P, End: v.E, Msg: fmt.Sprintf("$%d used numerically but given %q. Try using str($%d).", n, params[n-1], n)}
		}
		return &Int{P: v.P, E: v.E, V: x}, nil
	}
	return rewriteProgram(prog, bind)
}

// rewriteProgram calls f on every expression, outermost first; a non-nil
// result replaces the expression and is not descended into.
func rewriteProgram(prog *Program, f func(Expr) (Expr, error)) error {
	for _, p := range prog.Probes {
		if p.Pred != nil {
			x, err := rewriteExpr(p.Pred, f)
			if err != nil {
				return err
			}
			p.Pred = x
		}
		if err := rewriteStmts(p.Body, f); err != nil {
			return err
		}
	}
	return nil
}

func rewriteStmts(body []Stmt, f func(Expr) (Expr, error)) error {
	var err error
	for _, s := range body {
		switch s := s.(type) {
		case *ExprStmt:
			s.X, err = rewriteExpr(s.X, f)
		case *AssignMap:
			var m Expr
			if m, err = rewriteExpr(s.Map, f); err == nil {
				s.Map = m.(*MapRef)
				s.Value, err = rewriteExpr(s.Value, f)
			}
		case *AssignVar:
			s.Value, err = rewriteExpr(s.Value, f)
		case *If:
			s.Cond, err = rewriteExpr(s.Cond, f)
		case *While:
			s.Cond, err = rewriteExpr(s.Cond, f)
		}
		if err != nil {
			return err
		}
		for _, b := range bodies(s) {
			if err := rewriteStmts(b, f); err != nil {
				return err
			}
		}
	}
	return nil
}

func rewriteExpr(e Expr, f func(Expr) (Expr, error)) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	r, err := f(e)
	if err != nil || r != nil {
		return r, err
	}
	each := func(xs []Expr) error {
		for i, x := range xs {
			y, err := rewriteExpr(x, f)
			if err != nil {
				return err
			}
			xs[i] = y
		}
		return nil
	}
	switch e := e.(type) {
	case *MapRef:
		err = each(e.Keys)
	case *Call:
		err = each(e.Args)
	case *Field:
		e.X, err = rewriteExpr(e.X, f)
	case *Binary:
		if e.L, err = rewriteExpr(e.L, f); err == nil {
			e.R, err = rewriteExpr(e.R, f)
		}
	case *Unary:
		e.X, err = rewriteExpr(e.X, f)
	case *Cast:
		e.X, err = rewriteExpr(e.X, f)
	case *Tuple:
		err = each(e.Elems)
	case *Index:
		if e.X, err = rewriteExpr(e.X, f); err == nil {
			e.I, err = rewriteExpr(e.I, f)
		}
	case *Ternary:
		xs := []Expr{e.C, e.T, e.F}
		err = each(xs)
		e.C, e.T, e.F = xs[0], xs[1], xs[2]
	}
	return e, err
}
