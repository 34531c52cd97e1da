// Package funcs turns the function tools' probe patterns (funccount,
// funclatency, funcinterval, stackcount) into attach targets: kernel functions (renamed copies such
// as name.isra.0 found under their real names), tracepoints and user
// functions in a binary or library, globs or (-r) regular expressions.
//
// Pattern syntax, as bcc's tools take it:
//
//	func, k:func, p::func     kernel function
//	t:group:event             tracepoint
//	c:func, p:c:func          function of libc ("c" is a library name)
//	lib:func, p:lib:func      function of a library (libfoo.so) or binary (path or name in PATH)
//	u:lib:probe               USDT probe of a library or binary (provider:name or name);
//	                          where none matches, a function of that name (stackcount's use)
//
// A library or binary given by name is found by core/uprobes in bcc's
// order: the library first (the process's mappings with -p, ld.so.cache,
// the library directories), then the program (the process's with -p, else
// $PATH).
package funcs

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/probes"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/tracefs"
	"github.com/probebox/probebox/core/uprobes"
)

// Kind is what a pattern names.
type Kind int

const (
	Kernel Kind = iota
	Tracepoint
	User
)

// Spec is a parsed pattern.
type Spec struct {
	Kind  Kind
	Lib   string // User: the library or binary as written
	Group string // Tracepoint: group pattern
	Func  string // function or event pattern
	Regex bool
	USDT  bool // u:lib:probe: USDT probes first, functions where none match
}

// Parse reads a pattern; a malformed one is a usage error naming it.
func Parse(pattern string, regex bool) (Spec, error) {
	bad := func(why string) (Spec, error) {
		return Spec{}, applet.Usagef("invalid pattern %q: %s", pattern, why)
	}
	parts := strings.Split(pattern, ":")
	s := Spec{Regex: regex}
	switch {
	case len(parts) == 1:
		s.Kind, s.Func = Kernel, parts[0]
	case len(parts) == 2 && parts[0] == "k":
		s.Kind, s.Func = Kernel, parts[1]
	case len(parts) == 3 && parts[0] == "t":
		s.Kind, s.Group, s.Func = Tracepoint, parts[1], parts[2]
	case len(parts) == 3 && (parts[0] == "p" || parts[0] == "u"):
		if parts[1] == "" {
			s.Kind, s.Func = Kernel, parts[2]
		} else {
			s.Kind, s.Lib, s.Func, s.USDT = User, parts[1], parts[2], parts[0] == "u"
		}
	case len(parts) == 4 && parts[0] == "u" && parts[1] != "":
		s.Kind, s.Lib, s.Func, s.USDT = User, parts[1], parts[2]+":"+parts[3], true
	case len(parts) == 2:
		s.Kind, s.Lib, s.Func = User, parts[0], parts[1]
	default:
		return bad("want func, t:group:event, lib:func, p:lib:func or u:lib:[provider:]probe")
	}
	if s.Func == "" || s.Kind == Tracepoint && s.Group == "" {
		return bad("empty name")
	}
	if regex {
		if _, err := regexp.Compile(s.Func); err != nil {
			return bad(fmt.Sprintf("bad regular expression: %v", err))
		}
	}
	return s, nil
}

// Target is one place to attach.
type Target struct {
	Kind  Kind
	Group string // tracepoint group
	Name  string // kernel function (real name), event, or user symbol
	Path  string // User: the file to attach to (through /proc/PID/root with a PID)
	// User: the function's file offset (its symbol may be in a debug
	// file or a Go pclntab the kernel's uprobe lookup cannot read).
	Offset uint64
	// User, USDT probe: its semaphore's file offset (0: none), which the
	// kernel counts up while the uprobe is attached.
	SemOffset uint64
	Show      string // how the tools print it
}

// matcher returns whether a name matches the spec's function part.
func (s Spec) matcher() func(string) bool {
	if s.Regex {
		re := regexp.MustCompile("^(?:" + s.Func + ")")
		return re.MatchString
	}
	if !probes.HasWildcard(s.Func) {
		return func(n string) bool { return n == s.Func }
	}
	return func(n string) bool { return probes.Match(s.Func, n) }
}

// MaxTargets bounds a pattern's matches, as bcc does (each one is a
// probe in the kernel).
const MaxTargets = 1000

// Resolve lists the targets of s; pid (0: any) picks the process whose
// files a user pattern names.
func Resolve(s Spec, pid int) ([]Target, error) {
	var (
		ts  []Target
		err error
	)
	switch s.Kind {
	case Kernel:
		ts, err = kernelTargets(s)
	case Tracepoint:
		ts, err = tracepointTargets(s)
	case User:
		ts, err = userTargets(s, pid)
	}
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, applet.Usagef("no %s matches %q", s.what(), s.Func)
	}
	if len(ts) > MaxTargets {
		return nil, applet.Usagef("%d %ss match %q: at most %d can be probed at once; narrow the pattern", len(ts), s.what(), s.Func, MaxTargets)
	}
	return ts, nil
}

func (s Spec) what() string {
	switch s.Kind {
	case Tracepoint:
		return "tracepoint"
	case User:
		return "function of " + s.Lib
	}
	return "kernel function"
}

// baseName strips the suffixes compilers add to a kernel function's copy
// (.isra.0, .constprop.0, .part.0, .cold, .llvm.<hash>).
func baseName(n string) string {
	if i := strings.IndexByte(n, '.'); i > 0 {
		return n[:i]
	}
	return n
}

// kernelTargets matches available_filter_functions (the functions kprobes
// and fentry can attach to), else kallsyms text symbols; a function known
// only under a renamed copy is found by its base name.
func kernelTargets(s Spec) ([]Target, error) {
	names, err := kernelFunctions()
	if err != nil {
		return nil, err
	}
	return matchKernel(s, names), nil
}

func matchKernel(s Spec, names []string) []Target {
	match := s.matcher()
	seen := map[string]bool{}
	var out []Target
	exact := map[string]bool{}
	for _, n := range names {
		exact[n] = true
	}
	for _, n := range names {
		if seen[n] {
			continue
		}
		base := baseName(n)
		ok := match(n)
		if !ok && base != n && !exact[base] && match(base) {
			ok = true // only the renamed copy exists: attach to it
		}
		if ok {
			seen[n] = true
			out = append(out, Target{Kind: Kernel, Name: n, Show: n})
		}
	}
	return out
}

func kernelFunctions() ([]string, error) {
	var names []string
	if dir, err := tracefs.Dir(); err == nil {
		if f, err := os.Open(filepath.Join(dir, "available_filter_functions")); err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if fs := strings.Fields(sc.Text()); len(fs) > 0 {
					names = append(names, fs[0])
				}
			}
			return names, sc.Err()
		}
	}
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return nil, fmt.Errorf("listing kernel functions: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) >= 3 && (fs[1] == "t" || fs[1] == "T") {
			names = append(names, fs[2])
		}
	}
	return names, sc.Err()
}

func tracepointTargets(s Spec) ([]Target, error) {
	dir, err := tracefs.Dir()
	if err != nil {
		return nil, fmt.Errorf("tracepoints need tracefs: %w", err)
	}
	groups, err := os.ReadDir(filepath.Join(dir, "events"))
	if err != nil {
		return nil, fmt.Errorf("listing tracepoints: %w", err)
	}
	groupSpec := Spec{Func: s.Group, Regex: s.Regex}
	gm, em := groupSpec.matcher(), s.matcher()
	var out []Target
	for _, g := range groups {
		if !g.IsDir() || !gm(g.Name()) {
			continue
		}
		events, _ := os.ReadDir(filepath.Join(dir, "events", g.Name()))
		for _, e := range events {
			if e.IsDir() && em(e.Name()) {
				out = append(out, Target{Kind: Tracepoint, Group: g.Name(), Name: e.Name(), Show: g.Name() + ":" + e.Name()})
			}
		}
	}
	return out, nil
}

// userTargets reads the file's functions with the shared symbolizer's ELF
// reader (so stripped files with debug files, and stripped Go binaries,
// work) and attaches by file offset.
func userTargets(s Spec, pid int) ([]Target, error) {
	path, err := uprobes.Find(s.Lib, pid, uprobes.LibraryFirst) // bcc's order
	if err != nil {
		return nil, err
	}
	if s.USDT {
		if ts, err := usdtTargets(s, path); err != nil || len(ts) > 0 {
			return ts, err
		}
	}
	e, err := syms.OpenELF(path)
	if err != nil {
		return nil, applet.Usagef("%s: %v", s.Lib, err)
	}
	match := s.matcher()
	seen := map[string]bool{}
	var out []Target
	for _, f := range e.Functions() {
		if seen[f.Name] || !match(f.Name) {
			continue
		}
		seen[f.Name] = true
		if off, ok := e.FileOffset(f.Addr); ok {
			out = append(out, Target{Kind: User, Name: f.Name, Path: path, Offset: off, Show: f.Name})
		}
	}
	return out, nil
}
