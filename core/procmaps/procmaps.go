// Package procmaps reads /proc/PID/maps: the one parser of it that the
// symbolizer, the unwinder's table loader, the uprobe and USDT finders
// and the memory trimmer share.
package procmaps

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
)

// Mapping is one line of /proc/PID/maps:
//
//	00400000-00452000 r-xp 00001000 08:02 173521   /usr/bin/dbus-daemon
type Mapping struct {
	Start, End, Offset uint64
	Perms              string // "r-xp"
	Dev                string // "08:02"
	Inode              uint64
	// Path is the file, "" for anonymous memory, or the kernel's name
	// in brackets ("[vdso]", "[anon:name]"); a deleted file keeps the
	// kernel's " (deleted)".
	Path string
}

// Exec says whether the mapping is executable.
func (m *Mapping) Exec() bool { return len(m.Perms) >= 3 && m.Perms[2] == 'x' }

// File says whether the mapping is of a file (a path, not a bracketed
// kernel name or anonymous memory).
func (m *Mapping) File() bool { return strings.HasPrefix(m.Path, "/") }

// ParseLine parses one line; ok is false for a line that is not one.
func ParseLine(line string) (m Mapping, ok bool) {
	var f [5]string
	rest := line
	for i := range f {
		rest = strings.TrimLeft(rest, " \t")
		end := strings.IndexAny(rest, " \t")
		if end < 0 {
			if i < len(f)-1 {
				return Mapping{}, false
			}
			end = len(rest)
		}
		f[i], rest = rest[:end], rest[end:]
	}
	lo, hi, found := strings.Cut(f[0], "-")
	if !found || f[4] == "" {
		return Mapping{}, false
	}
	var err [4]error
	m.Start, err[0] = strconv.ParseUint(lo, 16, 64)
	m.End, err[1] = strconv.ParseUint(hi, 16, 64)
	m.Offset, err[2] = strconv.ParseUint(f[2], 16, 64)
	m.Inode, err[3] = strconv.ParseUint(f[4], 10, 64)
	for _, e := range err {
		if e != nil {
			return Mapping{}, false
		}
	}
	m.Perms, m.Dev = f[1], f[3]
	// The path is the rest of the line: a file name may hold spaces.
	m.Path = strings.TrimLeft(rest, " \t")
	return m, true
}

// Parse reads maps text, keeping the mappings keep accepts (nil: all).
func Parse(r io.Reader, keep func(*Mapping) bool) ([]Mapping, error) {
	var out []Mapping
	s := bufio.NewScanner(r)
	for s.Scan() {
		m, ok := ParseLine(s.Text())
		if ok && (keep == nil || keep(&m)) {
			out = append(out, m)
		}
	}
	return out, s.Err()
}

// Read reads process pid's maps (pid 0: this process's own), keeping the
// mappings keep accepts (nil: all). They come sorted by start, as the
// kernel lists them.
func Read(pid int, keep func(*Mapping) bool) ([]Mapping, error) {
	name := "self"
	if pid != 0 {
		name = strconv.Itoa(pid)
	}
	f, err := os.Open("/proc/" + name + "/maps")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, keep)
}

// ExecFiles keeps executable mappings of files.
func ExecFiles(m *Mapping) bool { return m.Exec() && m.File() }
