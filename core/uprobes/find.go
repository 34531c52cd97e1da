package uprobes

import (
	"bufio"
	"debug/elf"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/probebox/probebox/core/applet"
)

// libDirs are searched last, for a library the cache does not list.
var libDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

// Root is where pid's files are seen from here: its /proc/PID/root
// (containers), or "" for the host (pid 0).
func Root(pid int) string {
	if pid <= 0 {
		return ""
	}
	return "/proc/" + strconv.Itoa(pid) + "/root"
}

// FindLibrary finds the file of a library named "c", "libc", "ssl",
// "libssl.so.3" or by path, as the dynamic loader would: with pid > 0 the
// one that process has mapped, else the one /etc/ld.so.cache names, else
// the first ELF file in the usual directories. With a pid the path is
// under /proc/PID/root. A name nothing matches is a usage error.
func FindLibrary(name string, pid int) (string, error) {
	root := Root(pid)
	if pid > 0 {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
			return "", applet.Usagef("no process %d", pid)
		}
	}
	if strings.Contains(name, "/") {
		p := root + name
		if !isELF(p) {
			return "", applet.Usagef("%s: not an ELF file that exists", name)
		}
		return p, nil
	}
	short := strings.TrimSuffix(name, ".so")
	if i := strings.Index(short, ".so."); i >= 0 {
		short = short[:i]
	}
	if !strings.HasPrefix(short, "lib") {
		short = "lib" + short
	}
	if pid > 0 {
		if p := mapped(pid, short); p != "" {
			return root + p, nil
		}
	}
	if entries, err := readCache(root + "/etc/ld.so.cache"); err == nil {
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
	return "", applet.Usagef("cannot find %s: not in /etc/ld.so.cache nor in %s", short, strings.Join(libDirs, ", "))
}

// mapped returns the path of the first file pid maps whose name is
// short.so* or short-VERSION.so* (libc-2.31.so).
func mapped(pid int, short string) string {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 6 || !strings.HasPrefix(fs[5], "/") {
			continue
		}
		base := filepath.Base(fs[5])
		if strings.HasPrefix(base, short+".so") || strings.HasPrefix(base, short+"-") && strings.Contains(base, ".so") {
			return fs[5]
		}
	}
	return ""
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
