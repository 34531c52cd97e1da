package stackcount

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/probes"
	"github.com/probebox/probebox/core/syms"
	"github.com/probebox/probebox/core/tracefs"
)

// Kinds of event a pattern names.
const (
	kindKernel     = "kprobe"
	kindTracepoint = "tracepoint"
	kindUser       = "uprobe"
)

// pattern is a parsed event pattern, as bcc's stackcount reads it:
//
//	func, p::func, k:func     kernel function (kprobe)
//	t:group:event             tracepoint
//	lib:func, p:lib:func      user function in a library or binary (uprobe);
//	u:lib:func                "c:malloc" is malloc in libc
//
// Each part after the kind may hold * and ? wildcards.
type pattern struct {
	text  string
	kind  string
	group string // tracepoint group, or the library as written
	name  string // function or event glob
}

func parsePattern(s string) (pattern, error) {
	p := pattern{text: s}
	parts := strings.Split(s, ":")
	switch len(parts) {
	case 1:
		p.kind, p.name = kindKernel, parts[0]
	case 2:
		p.kind, p.group, p.name = kindUser, parts[0], parts[1]
		if p.group == "" || p.group == "k" {
			p.kind, p.group = kindKernel, ""
		}
	case 3:
		p.group, p.name = parts[1], parts[2]
		switch parts[0] {
		case "t":
			p.kind = kindTracepoint
		case "p", "u":
			p.kind = kindUser
			if p.group == "" {
				p.kind = kindKernel
			}
		case "k":
			if p.group != "" {
				return p, applet.Usagef("invalid pattern %q: k:FUNC takes no library", s)
			}
			p.kind = kindKernel
		default:
			return p, applet.Usagef("invalid pattern %q: the kind is t (tracepoint), p or u (function), k (kernel function)", s)
		}
	default:
		return p, applet.Usagef("invalid pattern %q: too many ':'", s)
	}
	if p.name == "" || (p.kind == kindTracepoint && p.group == "") {
		return p, applet.Usagef("invalid pattern %q: nothing to trace", s)
	}
	return p, nil
}

// matcher is a glob (bcc's default) or, with -r, a regular expression.
func matcher(expr string, re bool) (func(string) bool, error) {
	if !re {
		return func(s string) bool { return probes.Match(expr, s) }, nil
	}
	r, err := regexp.Compile(expr)
	if err != nil {
		return nil, applet.Usagef("invalid regular expression %q: %v", expr, err)
	}
	return r.MatchString, nil
}

// tracepoints lists "group:name" of every tracepoint matching.
func tracepoints(p pattern, re bool) ([]string, error) {
	dir, err := tracefs.Dir()
	if err != nil {
		return nil, fmt.Errorf("tracepoints need tracefs: %w", err)
	}
	group, err := matcher(p.group, re)
	if err != nil {
		return nil, err
	}
	event, err := matcher(p.name, re)
	if err != nil {
		return nil, err
	}
	var out []string
	err = (&probes.Lister{TracefsDir: dir}).List("tracepoint:*", func(n string) error {
		g, e, _ := strings.Cut(strings.TrimPrefix(n, "tracepoint:"), ":")
		if group(g) && event(e) {
			out = append(out, g+":"+e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, applet.Usagef("no tracepoint matches %q (tplist lists them)", p.text)
	}
	return out, nil
}

// userFunction is a function to place a uprobe on: its name and file
// offset (found by the shared symbolizer, so stripped files with debug
// files and stripped Go binaries work too).
type userFunction struct {
	name   string
	offset uint64
}

// userFunctions resolves the library or binary and the functions in it
// that match. With a PID, the library is the one that process maps, read
// through /proc/PID/root (a container's own libc).
func userFunctions(p pattern, pid int, re bool) (path string, funcs []userFunction, err error) {
	match, err := matcher(p.name, re)
	if err != nil {
		return "", nil, err
	}
	if path, err = resolveLibrary(p.group, pid); err != nil {
		return "", nil, err
	}
	e, err := syms.OpenELF(path)
	if err != nil {
		return "", nil, applet.Usagef("%s: %v", p.group, err)
	}
	seen := map[string]bool{}
	for _, f := range e.Functions() {
		if seen[f.Name] || !match(f.Name) {
			continue
		}
		seen[f.Name] = true
		if off, ok := e.FileOffset(f.Addr); ok {
			funcs = append(funcs, userFunction{name: f.Name, offset: off})
		}
	}
	if len(funcs) == 0 {
		return "", nil, applet.Usagef("no function of %s matches %q", path, p.name)
	}
	return path, funcs, nil
}

// libDirs are where libraries are looked for without a PID.
var libDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

func resolveLibrary(lib string, pid int) (string, error) {
	root := ""
	if pid > 0 {
		root = "/proc/" + strconv.Itoa(pid) + "/root"
	}
	if strings.Contains(lib, "/") {
		if _, err := os.Stat(root + lib); err != nil {
			return "", applet.Usagef("%s: %v", lib, err)
		}
		return root + lib, nil
	}
	isLib := func(base string) bool {
		return strings.HasPrefix(base, "lib"+lib+".so") || strings.HasPrefix(base, lib+".so") || base == lib
	}
	if pid > 0 {
		if path, ok := mappedLibrary(pid, isLib); ok {
			return root + path, nil
		}
	}
	if path, err := exec.LookPath(lib); err == nil {
		return path, nil
	}
	for _, d := range libDirs {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			// libc.so is often a linker script next to libc.so.6.
			if p := filepath.Join(d, e.Name()); isLib(e.Name()) && !e.IsDir() && isELF(p) {
				return p, nil
			}
		}
	}
	return "", applet.Usagef("library or binary %q not found (give its path)", lib)
}

func mappedLibrary(pid int, isLib func(string) bool) (string, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return "", false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fs := strings.Fields(s.Text())
		if len(fs) >= 6 && strings.HasPrefix(fs[5], "/") && isLib(filepath.Base(fs[5])) {
			return fs[5], true
		}
	}
	return "", false
}

// kernelFunctions lists the kernel functions kprobes can attach to that
// match (available_filter_functions).
func kernelFunctions(p pattern, re bool) ([]string, error) {
	if !re && !probes.HasWildcard(p.name) {
		return []string{p.name}, nil
	}
	match, err := matcher(p.name, re)
	if err != nil {
		return nil, err
	}
	dir, err := tracefs.Dir()
	if err != nil {
		return nil, fmt.Errorf("matching kernel functions needs tracefs: %w", err)
	}
	f, err := os.Open(filepath.Join(dir, "available_filter_functions"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	seen := map[string]bool{}
	var out []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		name, _, _ := strings.Cut(s.Text(), " ") // "name [module]"
		if match(name) && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return nil, applet.Usagef("no kernel function matches %q", p.text)
	}
	return out, s.Err()
}

func isELF(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	_, err = io.ReadFull(f, magic)
	return err == nil && string(magic) == "\x7fELF"
}
