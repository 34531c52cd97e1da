package trace

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/output"
)

// formatter renders printf records as C's printf would, escaping strings
// a traced process controls.
type formatter struct {
	formats [][]piece
	args    [][]lang.Type
	sym     symbolizer // names ksym() and usym() values
}

// piece is literal text, or one conversion with its Go verb.
type piece struct {
	text   string
	goSpec string // "" for literal text
	verb   byte
}

func newFormatter(printfs []*lang.Printf) (*formatter, error) {
	f := &formatter{}
	for _, p := range printfs {
		pieces, err := compileFormat(p.Format)
		if err != nil {
			return nil, err
		}
		f.formats = append(f.formats, pieces)
		f.args = append(f.args, p.Args)
	}
	return f, nil
}

func compileFormat(format string) ([]piece, error) {
	verbs, err := lang.ParseFormat(format)
	if err != nil {
		return nil, err
	}
	var pieces []piece
	rest := format
	for _, v := range verbs {
		i := strings.Index(rest, v.Spec)
		pieces = append(pieces, piece{text: strings.ReplaceAll(rest[:i], "%%", "%")})
		spec := strings.NewReplacer("l", "", "h", "", "z", "").Replace(v.Spec)
		switch v.Verb {
		case 'u':
			spec = spec[:len(spec)-1] + "d"
		case 'p':
			spec = spec[:len(spec)-1] + "x"
		}
		pieces = append(pieces, piece{goSpec: spec, verb: v.Verb})
		rest = rest[i+len(v.Spec):]
	}
	return append(pieces, piece{text: strings.ReplaceAll(rest, "%%", "%")}), nil
}

// format renders printf id with its raw argument bytes.
func (f *formatter) format(dst []byte, id uint64, data []byte) ([]byte, error) {
	if id >= uint64(len(f.formats)) {
		return dst, fmt.Errorf("printf record with unknown id %d", id)
	}
	args := f.args[id]
	ai, off := 0, 0
	ne := binary.NativeEndian
	for _, p := range f.formats[id] {
		if p.goSpec == "" {
			dst = append(dst, p.text...)
			continue
		}
		t := args[ai]
		ai++
		if off+t.Size > len(data) {
			return dst, fmt.Errorf("short printf record")
		}
		raw := data[off : off+t.Size]
		off += t.Size
		switch p.verb {
		case 's':
			if t.Kind != lang.KStr {
				dst = fmt.Appendf(dst, p.goSpec, formatValue(t, raw, f.sym))
				continue
			}
			s := raw
			if i := indexNUL(s); i >= 0 {
				s = s[:i]
			}
			dst = fmt.Appendf(dst, p.goSpec, string(output.AppendEscaped(nil, s)))
		case 'c':
			dst = fmt.Appendf(dst, p.goSpec, rune(raw[0]))
		case 'u', 'x', 'X', 'p':
			if p.verb == 'p' {
				dst = append(dst, "0x"...)
			}
			dst = fmt.Appendf(dst, p.goSpec, ne.Uint64(raw))
		default:
			dst = fmt.Appendf(dst, p.goSpec, int64(ne.Uint64(raw)))
		}
	}
	return dst, nil
}

func indexNUL(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}
