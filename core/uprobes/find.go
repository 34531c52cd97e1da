package uprobes

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/applet"
	"github.com/probebox/probebox/core/procmaps"
)

// libDirs are searched last, for a library the cache does not list.
var libDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

// cachePath is the dynamic loader's cache, under a process's root with a
// pid; a variable for tests.
var cachePath = "/etc/ld.so.cache"

// Root is where pid's files are seen from here: its /proc/PID/root
// (containers), or "" for the host (pid 0).
func Root(pid int) string {
	if pid <= 0 {
		return ""
	}
	return "/proc/" + strconv.Itoa(pid) + "/root"
}

// Order says which a bare name is first taken for when it could name a
// program or a library ("perl": /usr/bin/perl or libperl.so).
type Order int

const (
	// LibraryFirst is bcc's order (funccount perl:f is libperl's f).
	LibraryFirst Order = iota
	// ProgramFirst is bpftrace's order (uprobe:perl:f is /usr/bin/perl's).
	ProgramFirst
)

// Find finds the file a uprobe target names that may be a program or a
// library: a path (seen from pid's root), a program (with pid > 0 the one
// that process maps under that name, else the one in $PATH) or a library
// as FindLibrary finds it, tried in the given order. A name nothing
// matches is a usage error.
func Find(name string, pid int, order Order) (string, error) {
	if strings.Contains(name, "/") || !processExists(pid) {
		return FindLibrary(name, pid) // a path, or no such process
	}
	if order == ProgramFirst {
		if p := findProgram(name, pid); p != "" {
			return p, nil
		}
	}
	if p, err := FindLibrary(name, pid); err == nil {
		return p, nil
	}
	if order == LibraryFirst {
		if p := findProgram(name, pid); p != "" {
			return p, nil
		}
	}
	return "", notFound(name)
}

func notFound(name string) error {
	return applet.Usagef("cannot find %q: neither a command in $PATH nor a library in %s or the library directories: give its path", name, cachePath)
}

// findProgram: with pid > 0 the file that process maps as the program
// name, else the command in $PATH.
func findProgram(name string, pid int) string {
	if pid > 0 {
		if p := mapped(pid, func(base string) bool { return isProgram(base, name) }); p != "" {
			return Root(pid) + p
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return p
}

// processExists: pid 0 (no process) or a process that is there.
func processExists(pid int) bool {
	if pid <= 0 {
		return true
	}
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// FindLibrary finds the file of a library named "c", "libc", "ssl",
// "libssl.so.3" or by path, as the dynamic loader would: with pid > 0 the
// one that process has mapped, else the one /etc/ld.so.cache names, else
// the first ELF file in the usual directories. With a pid the path is
// under /proc/PID/root. A name nothing matches is a usage error.
func FindLibrary(name string, pid int) (string, error) {
	root := Root(pid)
	if !processExists(pid) {
		return "", applet.Usagef("no process %d", pid)
	}
	if strings.Contains(name, "/") {
		p := root + name
		if !isELF(p) {
			return "", applet.Usagef("%s: not an ELF file that exists", name)
		}
		return p, nil
	}
	short := libraryStem(name)
	if pid > 0 {
		if p := mapped(pid, func(base string) bool { return isLibrary(base, short) }); p != "" {
			return root + p, nil
		}
	}
	if entries, err := readCache(root + cachePath); err == nil {
		if p, ok := lookupCache(entries, short); ok && isELF(root+p) {
			return root + p, nil
		}
	}
	var found []string
	for _, d := range libDirs {
		m, _ := filepath.Glob(filepath.Join(root+d, short+".so*"))
		found = append(found, m...)
	}
	sort.Strings(found)
	for _, p := range found {
		if isELF(p) { // libc.so itself is often a linker script
			return p, nil
		}
	}
	return "", applet.Usagef("cannot find %s: not in %s nor in %s", short, cachePath, strings.Join(libDirs, ", "))
}

// Mapped returns the file pid maps (under /proc/PID/root) that is the
// program or the library name ("myserver", "jemalloc", "libc.so.6"),
// or "" when it maps none; a missing process is a usage error.
func Mapped(pid int, name string) (string, error) {
	if pid <= 0 || !processExists(pid) {
		return "", applet.Usagef("no process %d", pid)
	}
	short := libraryStem(name)
	p := mapped(pid, func(base string) bool { return isProgram(base, name) || isLibrary(base, short) })
	if p == "" {
		return "", nil
	}
	return Root(pid) + p, nil
}

// libraryStem is the name a library's files start with: "ssl" and
// "libssl.so.3" are "libssl".
func libraryStem(name string) string {
	short := strings.TrimSuffix(name, ".so")
	if i := strings.Index(short, ".so."); i >= 0 {
		short = short[:i]
	}
	if !strings.HasPrefix(short, "lib") {
		short = "lib" + short
	}
	return short
}

// isProgram: base is the file of the program name, or of a version of
// it (python3.11).
func isProgram(base, name string) bool {
	return base == name || strings.HasPrefix(base, name+".") || strings.HasPrefix(base, name+"-")
}

// isLibrary: base is a file of the library short: short.so* or
// short-VERSION.so* (libc-2.31.so).
func isLibrary(base, short string) bool {
	return strings.HasPrefix(base, short+".so") || strings.HasPrefix(base, short+"-") && strings.Contains(base, ".so")
}

// mapped returns the path of the first file pid maps whose base name
// want accepts.
func mapped(pid int, want func(base string) bool) string {
	return mappedIn("/proc/"+strconv.Itoa(pid)+"/maps", want)
}

func mappedIn(maps string, want func(base string) bool) string {
	f, err := os.Open(maps)
	if err != nil {
		return ""
	}
	defer f.Close()
	files, _ := procmaps.Parse(f, func(m *procmaps.Mapping) bool { return m.File() && want(filepath.Base(m.Path)) })
	if len(files) == 0 {
		return ""
	}
	return files[0].Path
}

// HasFunction reports whether the ELF file at path defines a function
// named sym (in .symtab or .dynsym).
func HasFunction(path, sym string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, read := range []func() ([]elf.Symbol, error){f.DynamicSymbols, f.Symbols} {
		syms, _ := read()
		for _, s := range syms {
			if s.Name == sym && elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Section != elf.SHN_UNDEF {
				return true
			}
		}
	}
	return false
}

// NeededLibrary returns the library (DT_NEEDED) of the ELF file at path
// whose name starts with short ("libreadline"), found as FindLibrary
// finds it, or "".
func NeededLibrary(path, short string, pid int) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	libs, _ := f.ImportedLibraries()
	for _, l := range libs {
		if strings.HasPrefix(l, short+".so") {
			if p, err := FindLibrary(l, pid); err == nil {
				return p
			}
		}
	}
	return ""
}

func isELF(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 4)
	_, err = f.Read(magic)
	return err == nil && string(magic) == "\x7fELF"
}
