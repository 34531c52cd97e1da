package lang

import (
	"fmt"
	"strings"
)

// DumpAST writes the program tree, one node per line, indented (trace -d).
func DumpAST(b *strings.Builder, prog *Program) {
	for _, p := range prog.Probes {
		var names []string
		for _, ap := range p.Points {
			names = append(names, ap.Text)
		}
		fmt.Fprintf(b, "probe %s\n", strings.Join(names, ", "))
		if p.Pred != nil {
			fmt.Fprintf(b, "  predicate %s\n", exprString(p.Pred))
		}
		dumpStmts(b, p.Body, "  ")
	}
}

func dumpStmts(b *strings.Builder, stmts []Stmt, indent string) {
	for _, s := range stmts {
		switch s := s.(type) {
		case *ExprStmt:
			fmt.Fprintf(b, "%s%s\n", indent, exprString(s.X))
		case *AssignMap:
			fmt.Fprintf(b, "%s%s = %s\n", indent, exprString(s.Map), exprString(s.Value))
		case *AssignVar:
			fmt.Fprintf(b, "%s$%s = %s\n", indent, s.Name, exprString(s.Value))
		case *While:
			fmt.Fprintf(b, "%swhile %s\n", indent, exprString(s.Cond))
			dumpStmts(b, s.Body, indent+"  ")
		case *Unroll:
			fmt.Fprintf(b, "%sunroll %d\n", indent, s.N)
			dumpStmts(b, s.Body, indent+"  ")
		case *For:
			fmt.Fprintf(b, "%sfor $%s : %s\n", indent, s.Var, exprString(s.Map))
			dumpStmts(b, s.Body, indent+"  ")
		case *Jump:
			fmt.Fprintf(b, "%s%s\n", indent, s.Kind)
		case *If:
			fmt.Fprintf(b, "%sif %s\n", indent, exprString(s.Cond))
			dumpStmts(b, s.Then, indent+"  ")
			if len(s.Else) > 0 {
				fmt.Fprintf(b, "%selse\n", indent)
				dumpStmts(b, s.Else, indent+"  ")
			}
		}
	}
}

// exprString prints an expression fully parenthesised, to show precedence.
func exprString(e Expr) string {
	switch e := e.(type) {
	case *Int:
		return fmt.Sprint(e.V)
	case *Str:
		return fmt.Sprintf("%q", e.V)
	case *Ident:
		return e.Name
	case *Var:
		return "$" + e.Name
	case *MapRef:
		if len(e.Keys) == 0 {
			return "@" + e.Name
		}
		return "@" + e.Name + "[" + exprList(e.Keys) + "]"
	case *Call:
		return e.Name + "(" + exprList(e.Args) + ")"
	case *Field:
		op := e.Op
		if op == "" {
			op = "->"
		}
		return exprString(e.X) + op + e.Name
	case *Binary:
		return "(" + exprString(e.L) + " " + e.Op + " " + exprString(e.R) + ")"
	case *Unary:
		return "(" + e.Op + exprString(e.X) + ")"
	case *Cast:
		return "((" + strings.TrimSpace(e.Type+" "+strings.Repeat("*", e.Ptr)) + ")" + exprString(e.X) + ")"
	case *TypeRef:
		return strings.TrimSpace(e.Type + " " + strings.Repeat("*", e.Ptr))
	case *Ternary:
		return "(" + exprString(e.C) + " ? " + exprString(e.T) + " : " + exprString(e.F) + ")"
	case *Tuple:
		return "(" + exprList(e.Elems) + ")"
	case *Index:
		return exprString(e.X) + "[" + exprString(e.I) + "]"
	}
	return "?"
}

func exprList(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = exprString(e)
	}
	return strings.Join(parts, ", ")
}
