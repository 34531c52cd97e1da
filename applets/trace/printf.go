package trace

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/probebox/probebox/applets/trace/lang"
	"github.com/probebox/probebox/core/output"
)

// formatter renders printf records as C's printf would, escaping strings
// a traced process controls.
type formatter struct {
	formats [][]piece
	args    [][]lang.Type
	records []*lang.Printf
	sym     symbolizer    // names ksym() and usym() values
	stacks  *stackPrinter // names kstack and ustack in printf()
	json    bool          // -f json: one JSON record per output
}

// piece is literal text, or one conversion with its Go verb.
type piece struct {
	text   string
	goSpec string // "" for literal text
	verb   byte
	// long: an l, ll or z length; without one, d u x X print the low 32
	// bits as C's int and unsigned int, as bpftrace's printf does.
	long bool
}

func newFormatter(printfs []*lang.Printf) (*formatter, error) {
	f := &formatter{}
	f.records = printfs
	for _, p := range printfs {
		if p.Kind != lang.PrintfText && p.Kind != lang.PrintfSystem && p.Kind != lang.PrintfCat {
			f.formats = append(f.formats, nil)
			f.args = append(f.args, p.Args)
			continue
		}
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
		pieces = append(pieces, piece{goSpec: spec, verb: v.Verb, long: strings.ContainsAny(v.Spec, "lz")})
		rest = rest[i+len(v.Spec):]
	}
	return append(pieces, piece{text: strings.ReplaceAll(rest, "%%", "%")}), nil
}

// format renders printf id with its raw argument bytes.
func (f *formatter) format(dst []byte, id uint64, data []byte) ([]byte, error) {
	if id >= uint64(len(f.formats)) {
		return dst, fmt.Errorf("printf record with unknown id %d", id)
	}
	if f.json {
		return f.formatJSON(dst, id, data)
	}
	switch f.records[id].Kind {
	case lang.PrintfTime:
		return append(dst, strftime(f.records[id].Format, time.Now())...), nil
	case lang.PrintfJoin:
		return f.join(dst, f.records[id].Format, data), nil
	case lang.PrintfValue:
		return f.value(dst, f.args[id][0], data)
	case lang.PrintfSystem, lang.PrintfCat:
		arg, err := f.printf(nil, id, data)
		if err != nil {
			return dst, err
		}
		return unsafeAction(dst, f.records[id].Kind, string(arg)), nil
	}
	return f.printf(dst, id, data)
}

// unsafeAction runs system()'s command with /bin/sh, or reads cat()'s
// file, and appends what it printed (--unsafe only).
func unsafeAction(dst []byte, kind int, arg string) []byte {
	if kind == lang.PrintfCat {
		b, err := os.ReadFile(arg)
		if err != nil {
			return fmt.Appendf(dst, "%v\n", err)
		}
		return append(dst, b...)
	}
	out, _ := exec.Command("/bin/sh", "-c", arg).Output()
	return append(dst, out...)
}

// formatJSON wraps a record's text in a JSON record of its type.
func (f *formatter) formatJSON(dst []byte, id uint64, data []byte) ([]byte, error) {
	f.json = false
	defer func() { f.json = true }()
	text, err := f.format(nil, id, data)
	if err != nil {
		return dst, err
	}
	switch f.records[id].Kind {
	case lang.PrintfTime:
		return append(dst, jsonRecord("time", jsonString(string(text)))...), nil
	case lang.PrintfJoin:
		return append(dst, jsonRecord("join", jsonString(strings.TrimSuffix(string(text), "\n")))...), nil
	case lang.PrintfValue:
		v := strings.TrimSuffix(string(text), "\n")
		if t := f.args[id][0]; t.Kind == lang.KTuple && len(data) >= t.Size {
			v = tupleJSON(t, data[:t.Size], f.sym)
		} else if t.Kind != lang.KInt {
			v = jsonString(v)
		}
		return append(dst, jsonRecord("value", v)...), nil
	}
	return append(dst, jsonRecord("printf", jsonString(string(text)))...), nil
}

// printf renders a printf() record.
func (f *formatter) printf(dst []byte, id uint64, data []byte) ([]byte, error) {
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
		case 'r':
			dst = formatBuf(dst, raw)
		case 's':
			if t.Kind == lang.KKstack || t.Kind == lang.KUstack {
				dst = fmt.Appendf(dst, p.goSpec, formatTyped(t, raw, f.stacks, stackIndentValue))
				continue
			}
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
			v := ne.Uint64(raw)
			if p.verb == 'p' {
				dst = append(dst, "0x"...)
			} else if !p.long {
				v = uint64(uint32(v))
			}
			dst = fmt.Appendf(dst, p.goSpec, v)
		default:
			v := int64(ne.Uint64(raw))
			if !p.long {
				v = int64(int32(v))
			}
			dst = fmt.Appendf(dst, p.goSpec, v)
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

// join writes join()'s strings, up to the first empty slot.
func (f *formatter) join(dst []byte, delim string, data []byte) []byte {
	for i := 0; i < lang.JoinArgs && (i+1)*lang.JoinArgSize <= len(data); i++ {
		s := cstr(data[i*lang.JoinArgSize : (i+1)*lang.JoinArgSize])
		if len(s) == 0 {
			break
		}
		if i > 0 {
			dst = append(dst, delim...)
		}
		dst = output.AppendEscaped(dst, s)
	}
	return append(dst, '\n')
}

// value writes print(value)'s one value and a newline.
func (f *formatter) value(dst []byte, t lang.Type, data []byte) ([]byte, error) {
	if len(data) < t.Size {
		return dst, fmt.Errorf("short print record")
	}
	raw := data[:t.Size]
	switch t.Kind {
	case lang.KInt:
		dst = fmt.Append(dst, int64(binary.NativeEndian.Uint64(raw)))
	case lang.KStr:
		dst = output.AppendEscaped(dst, cstr(raw))
	default:
		dst = append(dst, formatValue(t, raw, f.sym)...)
	}
	return append(dst, '\n'), nil
}
