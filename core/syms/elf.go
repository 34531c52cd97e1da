package syms

import (
	"bytes"
	"debug/elf"
	"debug/gosym"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/probebox/probebox/core/buildid"
)

// ELFSymbols are one ELF file's function symbols, sorted by address:
// its own .symtab and .dynsym, a separate debug file's .symtab when the
// file is stripped, or a Go binary's pclntab when even that is missing.
type ELFSymbols struct {
	path    string
	buildID string // hex, "" when the file has no GNU build-id note
	debug   string // the separate debug file whose symbols were read
	syms    []Symbol
	addrs   addrTable         // of syms, for the search
	byName  map[string]uint64 // built on the first Address call
	once    sync.Once
	progs   []elf.ProgHeader // loadable segments, to map file offsets
}

// DebugDirs are where separate debug files are looked for, under the
// process's root: /usr/lib/debug/.build-id/xx/yyyy.debug and
// /usr/lib/debug/<dir>/<debuglink>. Tests point it elsewhere.
var DebugDirs = []string{"/usr/lib/debug"}

// OpenELF reads the function symbols of a file as this process sees it.
func OpenELF(path string) (*ELFSymbols, error) { return openELF("", path) }

// openELF reads path under root ("" or "/proc/PID/root"): debug files are
// searched under the same root, so a container's debug files are found.
func openELF(root, path string) (*ELFSymbols, error) {
	file, err := os.Open(root + path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer file.Close()
	return readELF(root, path, file)
}

// readELF reads the symbols of path from file, already open (held since
// the process mapping it was seen, which may have exited since).
func readELF(root, path string, file *os.File) (*ELFSymbols, error) {
	f, err := elf.NewFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	e := &ELFSymbols{path: path}
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			e.progs = append(e.progs, p.ProgHeader)
		}
	}
	e.buildID = buildid.Of(f)
	hasSymtab, err := e.addSymbols(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !hasSymtab {
		// Stripped: the full table lives in a debug file, if installed.
		if dbg, name := openDebugFile(root, path, f, e.buildID); dbg != nil {
			_, err := e.addSymbols(dbg)
			dbg.Close()
			if err == nil {
				e.debug = name
			}
		}
	}
	if !hasSymtab && e.debug == "" {
		e.addGoSymbols(f) // Go binaries built with -ldflags=-s keep pclntab
	}
	sort.Slice(e.syms, func(i, j int) bool {
		if e.syms[i].Addr != e.syms[j].Addr {
			return e.syms[i].Addr < e.syms[j].Addr
		}
		return e.syms[i].Name < e.syms[j].Name
	})
	// .symtab and .dynsym (and a debug file) list the same functions.
	out := e.syms[:0]
	for i, sym := range e.syms {
		if i > 0 && sym.Addr == e.syms[i-1].Addr && sym.Name == e.syms[i-1].Name {
			continue
		}
		out = append(out, sym)
	}
	e.syms = out
	addrs := make([]uint64, len(out))
	for i, sym := range out {
		addrs[i] = sym.Addr
	}
	e.addrs = newAddrTable(addrs)
	return e, nil
}

// addSymbols adds the function symbols of .symtab and .dynsym; hasSymtab
// says whether .symtab was there (else the file is stripped).
func (e *ELFSymbols) addSymbols(f *elf.File) (hasSymtab bool, err error) {
	for i, typ := range []elf.SectionType{elf.SHT_SYMTAB, elf.SHT_DYNSYM} {
		err := readFuncSymbols(f, typ, e.add)
		if errors.Is(err, elf.ErrNoSymbols) {
			continue
		}
		if err != nil {
			return hasSymtab, err
		}
		if i == 0 {
			hasSymtab = true
		}
	}
	return hasSymtab, nil
}

func (e *ELFSymbols) add(name string, addr uint64) {
	e.syms = append(e.syms, Symbol{Name: name, Addr: addr, Module: e.path})
}

// addGoSymbols reads the function table Go keeps for its own tracebacks.
func (e *ELFSymbols) addGoSymbols(f *elf.File) {
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		return
	}
	data, err := pcln.Data()
	if err != nil {
		return
	}
	defer func() { recover() }() // debug/gosym trusts its input; a corrupt table is no symbols
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return
	}
	for _, fn := range tab.Funcs {
		if fn.Sym != nil && fn.Entry != 0 {
			e.add(fn.Name, fn.Entry)
		}
	}
}

// BuildID is the file's GNU build-id in hex, or "".
func (e *ELFSymbols) BuildID() string { return e.buildID }

// DebugFile is the separate debug file the symbols came from, or "".
func (e *ELFSymbols) DebugFile() string { return e.debug }

// Len is the number of function symbols.
func (e *ELFSymbols) Len() int { return len(e.syms) }

// openDebugFile finds a stripped file's symbols: by build-id first (the
// file's identity), then by .gnu_debuglink (name and CRC) where gdb looks.
func openDebugFile(root, path string, f *elf.File, id string) (*elf.File, string) {
	if len(id) > 2 {
		for _, dir := range DebugDirs {
			name := filepath.Join(dir, ".build-id", id[:2], id[2:]+".debug")
			if d, err := elf.Open(root + name); err == nil {
				return d, name
			}
		}
	}
	sec := f.Section(".gnu_debuglink")
	if sec == nil {
		return nil, ""
	}
	data, err := sec.Data()
	if err != nil {
		return nil, ""
	}
	nul := bytes.IndexByte(data, 0)
	if nul <= 0 {
		return nil, ""
	}
	link := string(data[:nul])
	crcAt := (nul + 4) &^ 3
	if len(data) < crcAt+4 || filepath.Base(link) != link {
		return nil, ""
	}
	want := f.ByteOrder.Uint32(data[crcAt:])
	dir := filepath.Dir(path)
	cands := []string{filepath.Join(dir, link), filepath.Join(dir, ".debug", link)}
	for _, d := range DebugDirs {
		cands = append(cands, filepath.Join(d, dir, link))
	}
	for _, name := range cands {
		if name == path {
			continue
		}
		raw, err := os.ReadFile(root + name)
		if err != nil || crc32.ChecksumIEEE(raw) != want {
			continue // a debug file of another build names wrong functions
		}
		if d, err := elf.NewFile(bytes.NewReader(raw)); err == nil {
			return d, name
		}
	}
	return nil, ""
}

// Lookup names the function containing a virtual address of the file.
func (e *ELFSymbols) Lookup(vaddr uint64) (Symbol, bool) {
	i := e.addrs.find(vaddr)
	if i < 0 {
		return Symbol{}, false
	}
	s := e.syms[i]
	s.Offset = vaddr - s.Addr
	return s, true
}

// Address finds a function's virtual address by name (the lowest, when
// static functions of several files share it).
func (e *ELFSymbols) Address(name string) (uint64, bool) {
	e.once.Do(func() {
		e.byName = make(map[string]uint64, len(e.syms))
		for _, s := range e.syms {
			if _, dup := e.byName[s.Name]; !dup {
				e.byName[s.Name] = s.Addr
			}
		}
	})
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

// Functions are the file's function symbols, sorted by address (shared:
// do not modify).
func (e *ELFSymbols) Functions() []Symbol { return e.syms }

// FileOffset maps a virtual address of the file to its offset in the
// file, where uprobes are placed.
func (e *ELFSymbols) FileOffset(vaddr uint64) (uint64, bool) {
	for _, p := range e.progs {
		if vaddr >= p.Vaddr && vaddr < p.Vaddr+p.Filesz {
			return vaddr - p.Vaddr + p.Off, true
		}
	}
	return 0, false
}
