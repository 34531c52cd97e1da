package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The preprocessor pass runs before the lexer, as clang's preprocessor
// runs before bpftrace's parser: it drops the shebang line, follows
// #include, #define, #undef, #if/#ifdef/#ifndef/#elif/#else/#endif, and
// replaces object-like macros. Every line it drops is kept as an empty
// line, so positions in errors stay those of the file as written.

// PreprocessOptions tune the preprocessor.
type PreprocessOptions struct {
	// IncludeDirs are the -I directories searched for #include "file"
	// and #include <file> headers that are not kernel headers.
	IncludeDirs []string
	// Includes are --include FILE headers, read before the program.
	Includes []string
	// HaveBTF: the kernel has BTF, so kernel headers are satisfied from
	// it and BPFTRACE_HAVE_BTF is defined, as bpftrace defines it.
	HaveBTF bool
	// Defines are extra macros (tests; -D style).
	Defines map[string]string
}

// Preprocessed is the program text with directives applied, and the
// struct definitions found in included headers.
type Preprocessed struct {
	Text    string
	Structs []*StructDef
}

// maxIncludeDepth bounds nested #include, as a loop of headers would
// otherwise never end.
const maxIncludeDepth = 32

type preprocessor struct {
	opts    PreprocessOptions
	macros  map[string]string
	out     *Preprocessed
	depth   int
	headers map[string]bool // headers read once already (include guards aside)
}

// Preprocess applies the preprocessor pass to src.
func Preprocess(file, src string, opts PreprocessOptions) (pp *Preprocessed, err error) {
	p := &preprocessor{opts: opts, macros: map[string]string{}, out: &Preprocessed{}, headers: map[string]bool{}}
	if opts.HaveBTF {
		p.macros["BPFTRACE_HAVE_BTF"] = "1"
	}
	for k, v := range opts.Defines {
		p.macros[k] = v
	}
	for _, inc := range opts.Includes {
		if err := p.includeFile(file, Pos{1, 1}, inc, inc, true); err != nil {
			return nil, err
		}
	}
	text, err := p.file(file, src, filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	p.out.Text = text
	return p.out, nil
}

// condFrame is one open #if: whether its current branch is taken, and
// whether any branch was (so #else and #elif know).
type condFrame struct {
	pos      Pos
	active   bool // this branch is taken (and every enclosing one)
	parentOn bool
	taken    bool
	sawElse  bool
}

func (p *preprocessor) file(file, src, dir string) (string, error) {
	errAt := func(line, col int, format string, args ...any) error {
		return &Error{File: file, Src: src, Pos: Pos{line, col}, End: Pos{line, col + 1}, Msg: fmt.Sprintf(format, args...)}
	}
	lines := strings.Split(src, "\n")
	var out strings.Builder
	var conds []condFrame
	on := func() bool { return len(conds) == 0 || conds[len(conds)-1].active }
	inComment := false
	for i := 0; i < len(lines); i++ {
		line, n := lines[i], i+1
		if i > 0 {
			out.WriteByte('\n')
		}
		if i == 0 && strings.HasPrefix(line, "#!") {
			continue // the shebang: #!/usr/bin/env bpftrace
		}
		trimmed := strings.TrimLeft(line, " \t")
		if inComment || !strings.HasPrefix(trimmed, "#") {
			if on() {
				expanded, stillComment, err := p.expand(line, inComment)
				if err != nil {
					return "", errAt(n, 1, "%v", err)
				}
				out.WriteString(expanded)
				inComment = stillComment
			} else {
				inComment = commentOpenAtEnd(line, inComment)
			}
			continue
		}
		// A directive, continued over lines ending in a backslash; the
		// continuation lines become empty lines too.
		col := len(line) - len(trimmed) + 1
		dir0 := trimmed
		for strings.HasSuffix(dir0, "\\") && i+1 < len(lines) {
			i++
			out.WriteByte('\n')
			dir0 = strings.TrimSuffix(dir0, "\\") + " " + lines[i]
		}
		directive := strings.TrimSpace(stripComments(dir0[1:]))
		name, rest := directive, ""
		if k := strings.IndexAny(directive, " \t(<\""); k >= 0 {
			name, rest = directive[:k], strings.TrimSpace(directive[k:])
		}
		switch name {
		case "if", "ifdef", "ifndef":
			f := condFrame{pos: Pos{n, col}, parentOn: on()}
			if f.parentOn {
				v, err := p.condition(name, rest)
				if err != nil {
					return "", errAt(n, col, "#%s: %v", name, err)
				}
				f.active, f.taken = v, v
			}
			conds = append(conds, f)
			continue
		case "elif", "else", "endif":
			if len(conds) == 0 {
				return "", errAt(n, col, "#%s without #if", name)
			}
			f := &conds[len(conds)-1]
			switch name {
			case "endif":
				conds = conds[:len(conds)-1]
			case "else":
				if f.sawElse {
					return "", errAt(n, col, "#else after #else")
				}
				f.sawElse = true
				f.active = f.parentOn && !f.taken
				f.taken = true
			case "elif":
				if f.sawElse {
					return "", errAt(n, col, "#elif after #else")
				}
				f.active = false
				if f.parentOn && !f.taken {
					v, err := p.condition("if", rest)
					if err != nil {
						return "", errAt(n, col, "#elif: %v", err)
					}
					f.active, f.taken = v, v
				}
			}
			continue
		}
		if !on() {
			continue
		}
		switch name {
		case "define":
			macro, body := splitWord(rest)
			if macro == "" || !isIdentStart(macro[0]) {
				return "", errAt(n, col, "#define needs a macro name")
			}
			if strings.HasPrefix(rest[len(macro):], "(") {
				return "", errAt(n, col, "#define %s(...): macros with arguments are not supported; use a constant or a $variable", macro)
			}
			p.macros[macro] = body
		case "undef":
			delete(p.macros, strings.TrimSpace(rest))
		case "include":
			if err := p.include(file, src, Pos{n, col}, rest, dir); err != nil {
				return "", err
			}
		case "pragma", "":
			// Compiler hints and the null directive change nothing here.
		case "error":
			return "", errAt(n, col, "#error %s", rest)
		case "warning":
			// bpftrace shows clang's warning and goes on.
		default:
			return "", errAt(n, col, "unknown preprocessor directive #%s", name)
		}
	}
	if len(conds) > 0 {
		f := conds[len(conds)-1]
		return "", errAt(f.pos.Line, f.pos.Col, "#if without #endif")
	}
	return out.String(), nil
}

func splitWord(s string) (word, rest string) {
	n := 0
	for n < len(s) && isIdentChar(s[n]) {
		n++
	}
	return s[:n], strings.TrimSpace(s[n:])
}

// include handles #include <h> and #include "h".
func (p *preprocessor) include(file, src string, at Pos, arg, dir string) error {
	arg = strings.TrimSpace(p.expandQuiet(arg))
	var name string
	quoted := false
	switch {
	case strings.HasPrefix(arg, "<") && strings.HasSuffix(arg, ">"):
		name = arg[1 : len(arg)-1]
	case strings.HasPrefix(arg, `"`) && strings.HasSuffix(arg, `"`) && len(arg) >= 2:
		name, quoted = arg[1:len(arg)-1], true
	default:
		return &Error{File: file, Src: src, Pos: at, End: Pos{at.Line, at.Col + 8}, Msg: "#include expects <FILE> or \"FILE\""}
	}
	if name == "" {
		return &Error{File: file, Src: src, Pos: at, End: Pos{at.Line, at.Col + 8}, Msg: "#include of an empty name"}
	}
	dirs := p.opts.IncludeDirs
	if quoted {
		dirs = append([]string{dir}, dirs...)
	}
	for _, d := range dirs {
		path := filepath.Join(d, name)
		if st, err := os.Stat(path); err == nil && !st.IsDir() {
			return p.includeFile(file, at, name, path, false)
		}
	}
	end := Pos{at.Line, at.Col + len("#include ") + len(arg)}
	if isKernelHeader(name) && !p.opts.HaveBTF {
		return &Error{File: file, Src: src, Pos: at, End: end,
			Msg: fmt.Sprintf("#include <%s>: kernel headers are read from the kernel's BTF, and this kernel has none (/sys/kernel/btf/vmlinux; CONFIG_DEBUG_INFO_BTF)", name)}
	}
	if consts, ok := systemHeaders[name]; ok {
		// A libc or kernel header the programs use for its constants.
		for k, v := range consts {
			p.macros[k] = v
		}
		return nil
	}
	if isKernelHeader(name) {
		return nil // the kernel's types come from its BTF
	}
	return &Error{File: file, Src: src, Pos: at, End: end,
		Msg: fmt.Sprintf("#include %s: not found (searched: %s)", arg, strings.Join(append(dirs, "kernel BTF"), ", "))}
}

// includeFile reads a header: its directives apply, and its text may
// only hold struct and union definitions.
func (p *preprocessor) includeFile(from string, at Pos, name, path string, flag bool) error {
	if p.depth >= maxIncludeDepth {
		return &Error{File: from, Pos: at, Msg: fmt.Sprintf("#include %s: nested more than %d deep", name, maxIncludeDepth)}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if flag {
			return fmt.Errorf("--include %s: %w", name, err)
		}
		return &Error{File: from, Pos: at, Msg: fmt.Sprintf("#include %s: %v", name, err)}
	}
	p.depth++
	text, err := p.file(path, string(b), filepath.Dir(path))
	p.depth--
	if err != nil {
		return err
	}
	defs, err := ParseDecls(path, text)
	if err != nil {
		return err
	}
	p.out.Structs = append(p.out.Structs, defs...)
	return nil
}

// isKernelHeader: headers of the kernel's own include tree, whose types
// BTF describes.
func isKernelHeader(name string) bool {
	for _, dir := range []string{"linux/", "net/", "uapi/", "asm/", "asm-generic/", "trace/", "scsi/", "crypto/", "xen/"} {
		if strings.HasPrefix(name, dir) {
			return true
		}
	}
	return false
}

// systemHeaders are the constants the programs take from libc and kernel
// headers that BTF does not carry (macros, not enums).
var systemHeaders = map[string]map[string]string{
	"sys/socket.h":  socketConsts,
	"linux/in.h":    ipprotoConsts,
	"netinet/in.h":  ipprotoConsts,
	"linux/sched.h": {"TASK_RUNNING": "0", "TASK_INTERRUPTIBLE": "1", "TASK_UNINTERRUPTIBLE": "2", "TASK_COMM_LEN": "16"},
	"linux/fs.h":    {},
	"stdint.h":      {},
	"stddef.h":      {},
}

var socketConsts = map[string]string{
	"AF_UNSPEC": "0", "AF_UNIX": "1", "AF_LOCAL": "1", "AF_INET": "2", "AF_INET6": "10", "AF_NETLINK": "16", "AF_PACKET": "17",
	"PF_UNSPEC": "0", "PF_UNIX": "1", "PF_INET": "2", "PF_INET6": "10",
	"SOCK_STREAM": "1", "SOCK_DGRAM": "2", "SOCK_RAW": "3",
}

var ipprotoConsts = map[string]string{"IPPROTO_IP": "0", "IPPROTO_ICMP": "1", "IPPROTO_TCP": "6", "IPPROTO_UDP": "17", "IPPROTO_IPV6": "41"}

// condition evaluates #if EXPR, #ifdef NAME or #ifndef NAME.
func (p *preprocessor) condition(kind, rest string) (bool, error) {
	switch kind {
	case "ifdef", "ifndef":
		name, tail := splitWord(rest)
		if name == "" || tail != "" {
			return false, fmt.Errorf("expects one macro name")
		}
		_, ok := p.macros[name]
		return ok == (kind == "ifdef"), nil
	}
	v, err := p.evalIf(rest)
	return v != 0, err
}

// expandQuiet replaces macros in s (a directive's argument).
func (p *preprocessor) expandQuiet(s string) string {
	out, _, _ := p.expand(s, false)
	return out
}

// maxExpansions bounds macro replacement, as a macro naming itself
// through others would otherwise never end.
const maxExpansions = 64

// expand replaces the object-like macros of one line, outside strings and
// comments. inComment says the line starts inside a /* comment; the
// result says whether it ends inside one.
func (p *preprocessor) expand(line string, inComment bool) (string, bool, error) {
	if len(p.macros) == 0 {
		return line, commentOpenAtEnd(line, inComment), nil
	}
	var b strings.Builder
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case inComment:
			end := strings.Index(line[i:], "*/")
			if end < 0 {
				b.WriteString(line[i:])
				return b.String(), true, nil
			}
			b.WriteString(line[i : i+end+2])
			i += end + 2
			inComment = false
		case strings.HasPrefix(line[i:], "//"):
			b.WriteString(line[i:])
			return b.String(), false, nil
		case strings.HasPrefix(line[i:], "/*"):
			b.WriteString("/*")
			i += 2
			inComment = true
		case c == '"':
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(line))
			b.WriteString(line[i:j])
			i = j
		case isIdentStart(c) && (i == 0 || !isIdentChar(line[i-1]) && line[i-1] != '$' && line[i-1] != '@'):
			j := i
			for j < len(line) && isIdentChar(line[j]) {
				j++
			}
			word := line[i:j]
			rep, err := p.replace(word, 0)
			if err != nil {
				return "", false, err
			}
			b.WriteString(rep)
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), inComment, nil
}

// replace is word's expansion: macros inside a macro's body expand too.
func (p *preprocessor) replace(word string, depth int) (string, error) {
	body, ok := p.macros[word]
	if !ok {
		return word, nil
	}
	if depth > maxExpansions {
		return "", fmt.Errorf("macro %s expands more than %d levels deep", word, maxExpansions)
	}
	var b strings.Builder
	for i := 0; i < len(body); {
		if isIdentStart(body[i]) && (i == 0 || !isIdentChar(body[i-1])) {
			j := i
			for j < len(body) && isIdentChar(body[j]) {
				j++
			}
			if body[i:j] == word {
				b.WriteString(word) // a macro does not expand inside itself
			} else {
				rep, err := p.replace(body[i:j], depth+1)
				if err != nil {
					return "", err
				}
				b.WriteString(rep)
			}
			i = j
			continue
		}
		b.WriteByte(body[i])
		i++
	}
	return b.String(), nil
}

// commentOpenAtEnd says whether a /* comment is still open at the end of
// line, outside strings.
func commentOpenAtEnd(line string, in bool) bool {
	for i := 0; i < len(line); i++ {
		switch {
		case in:
			if strings.HasPrefix(line[i:], "*/") {
				in = false
				i++
			}
		case strings.HasPrefix(line[i:], "//"):
			return false
		case strings.HasPrefix(line[i:], "/*"):
			in = true
			i++
		case line[i] == '"':
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' {
					i++
				}
			}
		}
	}
	return in
}

// stripComments removes // and /* */ comments from a directive line.
func stripComments(s string) string {
	if k := strings.Index(s, "//"); k >= 0 {
		s = s[:k]
	}
	for {
		a := strings.Index(s, "/*")
		if a < 0 {
			return s
		}
		b := strings.Index(s[a+2:], "*/")
		if b < 0 {
			return s[:a]
		}
		s = s[:a] + " " + s[a+2+b+2:]
	}
}
