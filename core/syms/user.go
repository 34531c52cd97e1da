package syms

import (
	"bufio"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// ELFSymbols are one ELF file's function symbols, sorted by address.
type ELFSymbols struct {
	path   string
	syms   []Symbol
	byName map[string]uint64
	progs  []elf.ProgHeader // loadable segments, to map file offsets
}

// OpenELF reads the function symbols of .symtab and .dynsym.
func OpenELF(path string) (*ELFSymbols, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	e := &ELFSymbols{path: path, byName: map[string]uint64{}}
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			e.progs = append(e.progs, p.ProgHeader)
		}
	}
	for _, read := range []func() ([]elf.Symbol, error){f.Symbols, f.DynamicSymbols} {
		list, err := read()
		if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, s := range list {
			if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Value == 0 || s.Name == "" {
				continue
			}
			if _, dup := e.byName[s.Name]; dup {
				continue
			}
			e.byName[s.Name] = s.Value
			e.syms = append(e.syms, Symbol{Name: s.Name, Addr: s.Value, Module: path})
		}
	}
	sort.Slice(e.syms, func(i, j int) bool { return e.syms[i].Addr < e.syms[j].Addr })
	return e, nil
}

// Lookup names the function containing a virtual address of the file.
func (e *ELFSymbols) Lookup(vaddr uint64) (Symbol, bool) {
	i := sort.Search(len(e.syms), func(i int) bool { return e.syms[i].Addr > vaddr }) - 1
	if i < 0 {
		return Symbol{}, false
	}
	s := e.syms[i]
	s.Offset = vaddr - s.Addr
	return s, true
}

// Address finds a function's virtual address by name.
func (e *ELFSymbols) Address(name string) (uint64, bool) {
	a, ok := e.byName[name]
	return a, ok
}

// vaddrOf maps a file offset to the file's virtual address space.
func (e *ELFSymbols) vaddrOf(off uint64) (uint64, bool) {
	for _, p := range e.progs {
		if off >= p.Off && off < p.Off+p.Filesz {
			return off - p.Off + p.Vaddr, true
		}
	}
	return 0, false
}

// mapping is one executable line of /proc/PID/maps.
type mapping struct {
	start, end, off uint64
	path            string
}

// UserSymbols resolves addresses of running processes; safe for
// concurrent use.
type UserSymbols struct {
	mu    sync.Mutex
	files map[string]*ELFSymbols
	procs map[int][]mapping
}

// NewUserSymbols returns an empty cache.
func NewUserSymbols() *UserSymbols {
	return &UserSymbols{files: map[string]*ELFSymbols{}, procs: map[int][]mapping{}}
}

// Invalidate forgets a process's mappings (after exec or exit).
func (u *UserSymbols) Invalidate(pid int) {
	u.mu.Lock()
	delete(u.procs, pid)
	u.mu.Unlock()
}

// Lookup names the function at addr in process pid.
func (u *UserSymbols) Lookup(pid int, addr uint64) (Symbol, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	maps, ok := u.procs[pid]
	if !ok {
		var err error
		if maps, err = readMaps(pid); err != nil {
			return Symbol{}, false
		}
		u.procs[pid] = maps
	}
	for _, m := range maps {
		if addr < m.start || addr >= m.end {
			continue
		}
		e, ok := u.files[m.path]
		if !ok {
			// Through /proc/PID/root so containers' files are found.
			e, _ = OpenELF(fmt.Sprintf("/proc/%d/root%s", pid, m.path))
			u.files[m.path] = e
		}
		if e == nil {
			return Symbol{}, false
		}
		vaddr, ok := e.vaddrOf(addr - m.start + m.off)
		if !ok {
			return Symbol{}, false
		}
		s, ok := e.Lookup(vaddr)
		s.Module = m.path
		return s, ok
	}
	return Symbol{}, false
}

func readMaps(pid int) ([]mapping, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseMaps(bufio.NewScanner(f))
}

// parseMaps reads "start-end perms offset dev inode path" lines, keeping
// executable file mappings.
func parseMaps(s *bufio.Scanner) ([]mapping, error) {
	var out []mapping
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 6 || !strings.Contains(f[1], "x") || !strings.HasPrefix(f[5], "/") {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		off, err3 := strconv.ParseUint(f[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		out = append(out, mapping{start: start, end: end, off: off, path: strings.Join(f[5:], " ")})
	}
	return out, s.Err()
}
