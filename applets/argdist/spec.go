package argdist

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/applet"
)

// Value sources and filter operators (bpfobj/argdist/argdist.h).
const (
	srcOne   = 0
	srcArg   = 1
	srcRet   = 2
	srcPID   = 3
	srcField = 4
	srcConst = 5
)

var ops = []struct {
	text string
	code uint32
}{{"==", 1}, {"!=", 2}, {"<=", 4}, {">=", 6}, {"<", 3}, {">", 5}}

// term is one operand: where a value comes from and its C type.
type term struct {
	kind      uint32
	arg       int    // srcArg: parameter index
	field     string // srcField: the tracepoint field's name
	off, size int    // srcField: filled from the format
	bits      int
	signed    bool
	lit       int64 // srcConst
	text      string
}

// spec is a parsed bcc argdist specifier:
// {p,r,t}:{lib,category}:func(signature)[:type:expr[:filter]][#label].
type spec struct {
	probe     byte // 'p', 'r' or 't'
	lib       string
	fn        string
	params    []string // names, by position
	ptypes    []string // their C types
	value     term
	hasValue  bool
	filterOp  uint32
	filter    term // compared with filterLit
	filterLit int64
	label     string
	text      string
}

// specError points at a column of the specifier, on one line.
func specError(s string, col int, format string, args ...any) error {
	if col > len(s) {
		col = len(s)
	}
	return applet.Usagef("invalid specifier %q at column %d (%q): %s", s, col+1, s[col:], fmt.Sprintf(format, args...))
}

// intTypes are the C types argdist can read: width and signedness.
var intTypes = map[string][2]int{
	"u8": {8, 0}, "u16": {16, 0}, "u32": {32, 0}, "u64": {64, 0},
	"s8": {8, 1}, "s16": {16, 1}, "s32": {32, 1}, "s64": {64, 1},
	"char": {8, 1}, "unsigned char": {8, 0}, "short": {16, 1}, "unsigned short": {16, 0},
	"int": {32, 1}, "unsigned": {32, 0}, "unsigned int": {32, 0}, "long": {64, 1}, "unsigned long": {64, 0},
	"long long": {64, 1}, "unsigned long long": {64, 0}, "size_t": {64, 0}, "ssize_t": {64, 1},
	"pid_t": {32, 1}, "uid_t": {32, 0}, "gid_t": {32, 0}, "off_t": {64, 1}, "loff_t": {64, 1},
	"bool": {8, 0}, "int8_t": {8, 1}, "int16_t": {16, 1}, "int32_t": {32, 1}, "int64_t": {64, 1},
	"uint8_t": {8, 0}, "uint16_t": {16, 0}, "uint32_t": {32, 0}, "uint64_t": {64, 0},
	"__u8": {8, 0}, "__u16": {16, 0}, "__u32": {32, 0}, "__u64": {64, 0},
	"__s8": {8, 1}, "__s16": {16, 1}, "__s32": {32, 1}, "__s64": {64, 1},
}

func lookupType(t string) (bits int, signed, ok bool) {
	t = strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(t), "const ")), " ")
	v, ok := intTypes[t]
	return v[0], v[1] == 1, ok
}

// parseSpec reads s. Everything outside the supported subset is an error
// naming the column.
func parseSpec(s string) (*spec, error) {
	sp := &spec{text: s}
	body := s
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		body, sp.label = s[:i], s[i+1:]
	}
	if len(body) < 2 || body[1] != ':' || !strings.ContainsRune("prt", rune(body[0])) {
		return nil, specError(s, 0, "want p:, r: or t: first")
	}
	sp.probe = body[0]
	rest := body[2:]
	col := 2
	colon := strings.IndexByte(rest, ':')
	if colon < 0 {
		return nil, specError(s, col, "want LIBRARY:FUNCTION (an empty library for the kernel) or CATEGORY:EVENT")
	}
	sp.lib = rest[:colon]
	col += colon + 1
	rest = rest[colon+1:]
	open := strings.IndexByte(rest, '(')
	if open < 0 {
		return nil, specError(s, col, "want FUNCTION(SIGNATURE), e.g. malloc(size_t size) or read()")
	}
	sp.fn = rest[:open]
	if sp.fn == "" || strings.ContainsAny(sp.fn, "*?") {
		return nil, specError(s, col, "want one function name (no wildcards)")
	}
	if sp.probe == 't' && sp.lib == "" {
		return nil, specError(s, 2, "a tracepoint needs its category (t:syscalls:sys_enter_read())")
	}
	col += open + 1
	rest = rest[open+1:]
	close := strings.IndexByte(rest, ')')
	if close < 0 {
		return nil, specError(s, col, "missing ')'")
	}
	sig := rest[:close]
	if sp.probe == 't' && strings.TrimSpace(sig) != "" {
		return nil, specError(s, col, "a tracepoint takes no signature: use args->FIELD")
	}
	if strings.TrimSpace(sig) != "" {
		pcol := col
		for _, p := range strings.Split(sig, ",") {
			f := strings.Fields(strings.ReplaceAll(p, "*", " * "))
			if len(f) < 2 {
				return nil, specError(s, pcol, "want TYPE NAME")
			}
			sp.params = append(sp.params, f[len(f)-1])
			sp.ptypes = append(sp.ptypes, strings.Join(f[:len(f)-1], " "))
			pcol += len(p) + 1
		}
		if len(sp.params) > 6 {
			return nil, specError(s, col, "at most 6 parameters are in registers")
		}
	}
	col += close + 1
	rest = rest[close+1:]
	if rest == "" {
		return sp, nil // counts calls
	}
	if rest[0] != ':' {
		return nil, specError(s, col, "want ':' and TYPE:EXPRESSION after the signature")
	}
	parts := strings.SplitN(rest[1:], ":", 3)
	col++
	if len(parts) < 2 {
		return nil, specError(s, col, "want TYPE:EXPRESSION")
	}
	if strings.Contains(parts[0], ",") || strings.Contains(parts[1], ",") {
		return nil, specError(s, col, "one type and one expression only")
	}
	bits, signed, ok := lookupType(parts[0])
	if !ok {
		return nil, specError(s, col, "type %q: only integer types are supported (u8...u64, s8...s64, int, long, size_t...)", parts[0])
	}
	ecol := col + len(parts[0]) + 1
	v, err := sp.parseTerm(s, ecol, parts[1])
	if err != nil {
		return nil, err
	}
	if v.kind == srcConst {
		return nil, specError(s, ecol, "the expression is a constant")
	}
	v.bits, v.signed = bits, signed
	sp.value, sp.hasValue = v, true
	if len(parts) == 3 {
		if err := sp.parseFilter(s, ecol+len(parts[1])+1, parts[2]); err != nil {
			return nil, err
		}
	}
	return sp, nil
}

// parseTerm reads a parameter name, $retval, $PID, args->FIELD or an
// integer literal.
func (sp *spec) parseTerm(s string, col int, text string) (term, error) {
	t := strings.TrimSpace(text)
	tm := term{text: t, bits: 64}
	switch {
	case t == "$retval":
		if sp.probe != 'r' {
			return tm, specError(s, col, "$retval is only known in a return probe (r:)")
		}
		tm.kind = srcRet
	case t == "$PID":
		tm.kind = srcPID
		tm.bits, tm.signed = 32, true
	case strings.HasPrefix(t, "args->"):
		if sp.probe != 't' {
			return tm, specError(s, col, "args-> is a tracepoint's record")
		}
		tm.kind, tm.field = srcField, strings.TrimPrefix(t, "args->")
	case t != "" && (t[0] == '-' || t[0] >= '0' && t[0] <= '9'):
		n, err := strconv.ParseInt(t, 0, 64)
		if err != nil {
			return tm, specError(s, col, "bad number %q", t)
		}
		tm.kind, tm.lit = srcConst, n
	default:
		for i, p := range sp.params {
			if p == t {
				if sp.probe == 'r' {
					return tm, specError(s, col, "a return probe sees only $retval and $PID, not the argument %q", t)
				}
				tm.kind, tm.arg = srcArg, i
				if bits, signed, ok := lookupType(sp.ptypes[i]); ok {
					tm.bits, tm.signed = bits, signed
				}
				return tm, nil
			}
		}
		return tm, specError(s, col, "%q is not a parameter of the signature, $retval, $PID, args->FIELD or a number (other expressions are not supported)", t)
	}
	return tm, nil
}

// findOp finds the filter's comparison operator, skipping the "->" of
// args->FIELD.
func findOp(text string) (at int, text2 string, code uint32) {
	for i := 0; i < len(text); i++ {
		if text[i] == '>' && i > 0 && text[i-1] == '-' {
			continue
		}
		for _, op := range ops {
			if strings.HasPrefix(text[i:], op.text) {
				return i, op.text, op.code
			}
		}
	}
	return -1, "", 0
}

// parseFilter reads TERM OP TERM where one side is a literal.
func (sp *spec) parseFilter(s string, col int, text string) error {
	i, optext, code := findOp(text)
	if i < 0 {
		return specError(s, col, "want a filter such as size > 16 (==, !=, <, <=, >, >=)")
	}
	l, err := sp.parseTerm(s, col, text[:i])
	if err != nil {
		return err
	}
	r, err := sp.parseTerm(s, col+i+len(optext), text[i+len(optext):])
	if err != nil {
		return err
	}
	switch {
	case r.kind == srcConst && l.kind != srcConst:
	case l.kind == srcConst && r.kind != srcConst:
		l, r = r, l
		code = map[uint32]uint32{1: 1, 2: 2, 3: 5, 4: 6, 5: 3, 6: 4}[code] // mirror
	default:
		return specError(s, col, "a filter compares one value with a number")
	}
	if l.kind == srcRet || l.kind == srcField {
		l.bits, l.signed = sp.value.bits, sp.value.signed
	}
	sp.filter, sp.filterOp, sp.filterLit = l, code, r.lit
	return nil
}
