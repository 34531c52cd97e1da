package lang

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tInt
	tStr
	tVar // $name
	tMap // @name or @
	tPunct
)

type token struct {
	kind tokKind
	text string // identifier, punctuation, variable/map name, string value
	num  int64
	pos  Pos
	end  Pos // just past the token
}

// lexer splits program text; attach points are read separately by the
// parser (rawAttach) because they contain ':' '/' '*' freely.
type lexer struct {
	src  string
	off  int
	line int
	col  int
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1, col: 1} }

// errf is an error one character wide at p.
func (l *lexer) errf(p Pos, format string, args ...any) error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// errTok is an error under a whole token.
func errTok(t token, format string, args ...any) error {
	return &Error{Pos: t.pos, End: t.end, Msg: fmt.Sprintf(format, args...)}
}

func (l *lexer) advance(n int) {
	for i := 0; i < n && l.off < len(l.src); i++ {
		if l.src[l.off] == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		l.off++
	}
}

func (l *lexer) here() Pos { return Pos{l.line, l.col} }

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() error {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.advance(1)
		case strings.HasPrefix(l.src[l.off:], "//"):
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.advance(1)
			}
		case strings.HasPrefix(l.src[l.off:], "/*"):
			p := l.here()
			end := strings.Index(l.src[l.off+2:], "*/")
			if end < 0 {
				return l.errf(p, "unterminated comment")
			}
			l.advance(end + 4)
		default:
			return nil
		}
	}
	return nil
}

var puncts = []string{"<<=", ">>=", "->", "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
	"{", "}", "(", ")", "[", "]", ",", ";", "=", "<", ">", "+", "-", "*", "/", "%", "!", "~", "&", "|", "^", "?", ":", "."}

func isIdentStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentChar(c byte) bool  { return isIdentStart(c) || (c >= '0' && c <= '9') }

// next returns the next token.
func (l *lexer) next() (token, error) {
	t, err := l.scan()
	t.end = l.here()
	return t, err
}

func (l *lexer) scan() (token, error) {
	if err := l.skipSpace(); err != nil {
		return token{}, err
	}
	p := l.here()
	if l.off >= len(l.src) {
		return token{kind: tEOF, pos: p}, nil
	}
	c := l.src[l.off]
	switch {
	case isIdentStart(c):
		n := 1
		for l.off+n < len(l.src) && isIdentChar(l.src[l.off+n]) {
			n++
		}
		t := token{kind: tIdent, text: l.src[l.off : l.off+n], pos: p}
		l.advance(n)
		return t, nil
	case c >= '0' && c <= '9':
		n := 1
		for l.off+n < len(l.src) && (isIdentChar(l.src[l.off+n])) {
			n++
		}
		text := strings.ReplaceAll(l.src[l.off:l.off+n], "_", "")
		if v, ok, err := sciInt(text); ok || err != nil {
			if err != nil {
				return token{}, &Error{Pos: p, End: Pos{p.Line, p.Col + n}, Msg: err.Error()}
			}
			l.advance(n)
			return token{kind: tInt, num: v, pos: p}, nil
		}
		v, err := strconv.ParseInt(text, 0, 64)
		if err != nil {
			u, uerr := strconv.ParseUint(text, 0, 64)
			if uerr != nil {
				return token{}, l.errf(p, "invalid integer %q", l.src[l.off:l.off+n])
			}
			v = int64(u)
		}
		l.advance(n)
		return token{kind: tInt, num: v, pos: p}, nil
	case c == '"':
		return l.lexString(p)
	case c == '$' || c == '@':
		n := 1
		for l.off+n < len(l.src) && isIdentChar(l.src[l.off+n]) {
			n++
		}
		if c == '$' && n == 1 && l.off+1 < len(l.src) && l.src[l.off+1] == '#' {
			l.advance(2) // $#: how many positional parameters
			return token{kind: tVar, text: "#", pos: p}, nil
		}
		name := l.src[l.off+1 : l.off+n]
		kind := tMap
		if c == '$' {
			kind = tVar
			if name == "" {
				return token{}, l.errf(p, "expected a variable name after $")
			}
		}
		l.advance(n)
		return token{kind: kind, text: name, pos: p}, nil
	}
	for _, pu := range puncts {
		if strings.HasPrefix(l.src[l.off:], pu) {
			l.advance(len(pu))
			return token{kind: tPunct, text: pu, pos: p}, nil
		}
	}
	return token{}, l.errf(p, "unexpected character %q", c)
}

func (l *lexer) lexString(p Pos) (token, error) {
	var b strings.Builder
	l.advance(1)
	for {
		if l.off >= len(l.src) || l.src[l.off] == '\n' {
			return token{}, &Error{Pos: p, End: l.here(), Msg: "unterminated string"}
		}
		c := l.src[l.off]
		if c == '"' {
			l.advance(1)
			return token{kind: tStr, text: b.String(), pos: p}, nil
		}
		if c == '\\' && l.off+1 < len(l.src) {
			esc := l.src[l.off+1]
			switch esc {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '"':
				b.WriteByte(esc)
			case '0':
				b.WriteByte(0)
			default:
				return token{}, l.errf(l.here(), "unknown escape \\%c", esc)
			}
			l.advance(2)
			continue
		}
		b.WriteByte(c)
		l.advance(1)
	}
}

// rawAttach reads one attach point: a run of characters up to white
// space, ',' or '{'. Probe names hold ':' '/' '*' '.' '-' freely.
func (l *lexer) rawAttach() (AttachPoint, error) {
	if err := l.skipSpace(); err != nil {
		return AttachPoint{}, err
	}
	p := l.here()
	n := 0
	for l.off+n < len(l.src) {
		c := l.src[l.off+n]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '{' {
			break
		}
		n++
	}
	if n == 0 {
		return AttachPoint{}, l.errf(p, "expected a probe")
	}
	ap := AttachPoint{Pos: p, Text: l.src[l.off : l.off+n]}
	l.advance(n)
	return ap, nil
}

// peekByte returns the next non-space byte without consuming it.
func (l *lexer) peekByte() (byte, error) {
	if err := l.skipSpace(); err != nil {
		return 0, err
	}
	if l.off >= len(l.src) {
		return 0, nil
	}
	return l.src[l.off], nil
}

// sciInt reads an integer written as a float, "1e6" or "5E3", as
// bpftrace accepts it: the value must be a whole number that fits.
func sciInt(text string) (int64, bool, error) {
	if strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0X") {
		return 0, false, nil
	}
	i := strings.IndexAny(text, "eE")
	if i <= 0 {
		return 0, false, nil
	}
	mant, err1 := strconv.ParseInt(text[:i], 10, 64)
	exp, err2 := strconv.Atoi(text[i+1:])
	if err1 != nil || err2 != nil || exp < 0 {
		return 0, true, fmt.Errorf("invalid integer %q: only whole numbers like 1e6", text)
	}
	if mant == 0 {
		return 0, true, nil // 0e2000000000000000000: no loop of that length
	}
	if exp > 19 {
		return 0, true, fmt.Errorf("integer %q is out of range", text)
	}
	v := mant
	for range exp {
		if v > math.MaxInt64/10 {
			return 0, true, fmt.Errorf("integer %q is out of range", text)
		}
		v *= 10
	}
	return v, true, nil
}
