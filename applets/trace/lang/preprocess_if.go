package lang

import (
	"fmt"
	"strconv"
	"strings"
)

// evalIf evaluates an #if or #elif expression as the C preprocessor
// does: defined(NAME) first, then macros, then identifiers left over are
// 0; integer arithmetic, comparisons and logic.
func (p *preprocessor) evalIf(expr string) (int64, error) {
	toks, err := ifTokens(expr)
	if err != nil {
		return 0, err
	}
	// defined NAME and defined(NAME) before macro replacement.
	var resolved []string
	for i := 0; i < len(toks); i++ {
		if toks[i] != "defined" {
			resolved = append(resolved, toks[i])
			continue
		}
		var name string
		switch {
		case i+3 < len(toks) && toks[i+1] == "(" && toks[i+3] == ")":
			name, i = toks[i+2], i+3
		case i+1 < len(toks) && toks[i+1] != "(":
			name, i = toks[i+1], i+1
		default:
			return 0, fmt.Errorf("defined needs a macro name")
		}
		if _, ok := p.macros[name]; ok {
			resolved = append(resolved, "1")
		} else {
			resolved = append(resolved, "0")
		}
	}
	expanded, err := ifTokens(p.expandQuiet(strings.Join(resolved, " ")))
	if err != nil {
		return 0, err
	}
	if len(expanded) == 0 {
		return 0, fmt.Errorf("needs an expression")
	}
	e := &ifEval{toks: expanded}
	v, err := e.ternary()
	if err != nil {
		return 0, err
	}
	if e.i != len(e.toks) {
		return 0, fmt.Errorf("unexpected %q", e.toks[e.i])
	}
	return v, nil
}

// ifTokens splits an #if expression into numbers, names and operators.
func ifTokens(s string) ([]string, error) {
	var out []string
	ops := []string{"&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "(", ")", "!", "~", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "?", ":"}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case isIdentChar(c):
			j := i
			for j < len(s) && isIdentChar(s[j]) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		default:
			found := false
			for _, op := range ops {
				if strings.HasPrefix(s[i:], op) {
					out = append(out, op)
					i += len(op)
					found = true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("unexpected %q", c)
			}
		}
	}
	return out, nil
}

type ifEval struct {
	toks  []string
	i     int
	depth int
}

var ifLevels = [][]string{{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", "<=", ">", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

func (e *ifEval) peek() string {
	if e.i < len(e.toks) {
		return e.toks[e.i]
	}
	return ""
}

func (e *ifEval) ternary() (int64, error) {
	c, err := e.binary(0)
	if err != nil || e.peek() != "?" {
		return c, err
	}
	e.i++
	a, err := e.ternary()
	if err != nil {
		return 0, err
	}
	if e.peek() != ":" {
		return 0, fmt.Errorf("expected ':'")
	}
	e.i++
	b, err := e.ternary()
	if c != 0 {
		return a, err
	}
	return b, err
}

func (e *ifEval) binary(level int) (int64, error) {
	if level == len(ifLevels) {
		return e.unary()
	}
	l, err := e.binary(level + 1)
	if err != nil {
		return 0, err
	}
	for contains(ifLevels[level], e.peek()) {
		op := e.peek()
		e.i++
		r, err := e.binary(level + 1)
		if err != nil {
			return 0, err
		}
		if l, err = ifApply(op, l, r); err != nil {
			return 0, err
		}
	}
	return l, nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func ifApply(op string, l, r int64) (int64, error) {
	switch op {
	case "||":
		return b2i(l != 0 || r != 0), nil
	case "&&":
		return b2i(l != 0 && r != 0), nil
	case "|":
		return l | r, nil
	case "^":
		return l ^ r, nil
	case "&":
		return l & r, nil
	case "==":
		return b2i(l == r), nil
	case "!=":
		return b2i(l != r), nil
	case "<":
		return b2i(l < r), nil
	case "<=":
		return b2i(l <= r), nil
	case ">":
		return b2i(l > r), nil
	case ">=":
		return b2i(l >= r), nil
	case "<<":
		return l << (uint64(r) & 63), nil
	case ">>":
		return l >> (uint64(r) & 63), nil
	case "+":
		return l + r, nil
	case "-":
		return l - r, nil
	case "*":
		return l * r, nil
	}
	if r == 0 {
		return 0, fmt.Errorf("division by zero")
	}
	if op == "/" {
		return l / r, nil
	}
	return l % r, nil
}

func (e *ifEval) unary() (int64, error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxDepth {
		return 0, fmt.Errorf("nested too deep")
	}
	t := e.peek()
	e.i++
	switch t {
	case "":
		return 0, fmt.Errorf("expression ends early")
	case "!", "~", "-", "+":
		v, err := e.unary()
		switch t {
		case "!":
			return b2i(v == 0), err
		case "~":
			return ^v, err
		case "-":
			return -v, err
		}
		return v, err
	case "(":
		v, err := e.ternary()
		if err != nil {
			return 0, err
		}
		if e.peek() != ")" {
			return 0, fmt.Errorf("expected ')'")
		}
		e.i++
		return v, nil
	}
	if t[0] >= '0' && t[0] <= '9' {
		v, err := strconv.ParseInt(strings.TrimRight(t, "uUlL"), 0, 64)
		if err != nil {
			return 0, fmt.Errorf("bad number %q", t)
		}
		return v, nil
	}
	if isIdentStart(t[0]) {
		return 0, nil // an undefined name is 0, as in C
	}
	return 0, fmt.Errorf("unexpected %q", t)
}
