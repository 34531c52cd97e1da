package lang

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a problem in the program text, printed in bpftrace's shape:
//
//	stdin:1:14-17: ERROR: unknown identifier "foo"
//	BEGIN { @x = foo; }
//	             ~~~
//
// End is just past the offending text; a span over several lines is
// "stdin:2-3: ERROR: ..." with no source quoted, as bpftrace does.
type Error struct {
	File string
	Pos  Pos
	End  Pos    // zero: one character at Pos
	Msg  string // one line, plain words
	Src  string // the program, to quote its line; "" quotes nothing
}

func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "stdin"
	}
	end := e.End
	if end.Line == 0 || end.Line < e.Pos.Line || (end.Line == e.Pos.Line && end.Col <= e.Pos.Col) {
		end = Pos{e.Pos.Line, e.Pos.Col + 1}
	}
	if end.Line != e.Pos.Line {
		return fmt.Sprintf("%s:%d-%d: ERROR: %s", file, e.Pos.Line, end.Line, e.Msg)
	}
	head := fmt.Sprintf("%s:%d:%d-%d: ERROR: %s", file, e.Pos.Line, e.Pos.Col, end.Col, e.Msg)
	line, ok := sourceLine(e.Src, e.Pos.Line)
	if !ok {
		return head
	}
	return head + "\n" + underline(line, e.Pos.Col, end.Col)
}

// sourceLine is line n (1-based) of src, without its newline.
func sourceLine(src string, n int) (string, bool) {
	if src == "" || n < 1 {
		return "", false
	}
	lines := strings.Split(src, "\n")
	if n > len(lines) {
		return "", false
	}
	return strings.TrimSuffix(lines[n-1], "\r"), true
}

// underline returns the line, made printable, and a row of '~' under
// columns [from, to) (byte columns, 1-based). Control characters, tabs
// included, show as one space each so that the marks stay aligned, and
// a multi-byte character takes one column on screen.
func underline(line string, from, to int) string {
	var shown, marks strings.Builder
	col := 1
	for len(line) > 0 {
		r, n := utf8.DecodeRuneInString(line)
		cell := string(r)
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			cell = " "
		}
		shown.WriteString(cell)
		switch {
		case col < from:
			marks.WriteByte(' ')
		case col < to:
			marks.WriteByte('~')
		}
		col += n
		line = line[n:]
	}
	// The span may run past the line's end: the end of the program.
	for ; col < to; col++ {
		if col >= from {
			marks.WriteByte('~')
		} else {
			marks.WriteByte(' ')
		}
	}
	return shown.String() + "\n" + marks.String()
}
