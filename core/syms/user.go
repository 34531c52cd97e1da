package syms

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/probebox/probebox/core/procmaps"
)

// mapping is one executable line of /proc/PID/maps. path is "" for
// anonymous code (a JIT's), which perf-PID.map files name.
type mapping struct {
	start, end, off uint64
	path            string
	file            fileKey
	// elf is file's symbols once a lookup needed them (nil when it could
	// not be read), kept here so later frames skip the cache's map,
	// whose key hashing showed in naming 10,000 stacks.
	elf    *ELFSymbols
	hasELF bool
}

// fileKey identifies a mapped file by device and inode, so a binary that
// many processes (or containers) map is read once, and a replaced binary
// (a new inode at the same path) is read again.
type fileKey struct {
	dev   string
	inode uint64
	path  string // for files with no inode (some pseudo file systems)
}

// process is what is known about one PID.
type process struct {
	maps    []mapping
	gone    bool // no /proc/PID/maps: exited (or never visible)
	reread  bool // maps were read again after a miss (dlopen since)
	perfMap *perfMap
}

// UserSymbols resolves addresses of running processes; safe for
// concurrent use.
type UserSymbols struct {
	mu    sync.Mutex
	files map[fileKey]*ELFSymbols
	// held are files Prime opened but did not read: their symbols are
	// read on the first lookup that needs them, from this descriptor
	// (still the right file after its process exited or it was deleted).
	held  map[fileKey]heldFile
	procs map[int]*process
}

// heldFile is an open mapped file whose symbols are not read yet, and
// the root of the process that mapped it (for its debug files).
type heldFile struct {
	f    *os.File
	root string
}

// maxHeld bounds the descriptors Prime keeps open; beyond it, files are
// opened by path at lookup time (named only while a process maps them).
const maxHeld = 512

// NewUserSymbols returns an empty cache.
func NewUserSymbols() *UserSymbols {
	return &UserSymbols{files: map[fileKey]*ELFSymbols{}, held: map[fileKey]heldFile{}, procs: map[int]*process{}}
}

// Invalidate forgets a process's mappings (after exec or exit).
func (u *UserSymbols) Invalidate(pid int) {
	u.mu.Lock()
	delete(u.procs, pid)
	u.mu.Unlock()
}

// Files is the number of ELF files read so far.
func (u *UserSymbols) Files() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.files)
}

// Lookup names the function at addr in process pid. It is false for a
// process that exited (its maps are gone) and for addresses no symbol
// covers.
func (u *UserSymbols) Lookup(pid int, addr uint64) (Symbol, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.lookup(u.proc(pid), pid, addr)
}

// lookupStack names the frames of a stack under one lock.
func (u *UserSymbols) lookupStack(pid int, ips []uint64, out []Frame) {
	u.mu.Lock()
	defer u.mu.Unlock()
	p := u.proc(pid)
	for i, a := range ips {
		sym, ok := u.lookup(p, pid, a)
		out[i] = userFrame(a, sym, ok)
	}
}

func (u *UserSymbols) lookup(p *process, pid int, addr uint64) (Symbol, bool) {
	if p.gone {
		return Symbol{}, false
	}
	i := find(p.maps, addr)
	if i < 0 && !p.reread {
		// A library loaded after the maps were read: read them once more.
		p.reread = true
		if maps, err := readMaps(pid); err == nil {
			p.maps = maps
			i = find(p.maps, addr)
		}
	}
	if i >= 0 && p.maps[i].path != "" {
		return u.lookupFile(pid, &p.maps[i], addr)
	}
	// Anonymous code, or no mapping: a JIT's perf map may name it.
	if p.perfMap == nil {
		p.perfMap = loadPerfMap(pid)
	}
	return p.perfMap.lookup(pid, addr)
}

func (u *UserSymbols) proc(pid int) *process {
	p, ok := u.procs[pid]
	if !ok {
		p = &process{}
		maps, err := readMaps(pid)
		p.maps, p.gone = maps, err != nil
		u.procs[pid] = p
	}
	return p
}

// find is the index of the mapping holding addr, or -1.
func find(maps []mapping, addr uint64) int {
	for i := range maps {
		if addr >= maps[i].start && addr < maps[i].end {
			return i
		}
	}
	return -1
}

func (u *UserSymbols) lookupFile(pid int, m *mapping, addr uint64) (Symbol, bool) {
	if !m.hasELF {
		m.elf, m.hasELF = u.fileSymbols(pid, m), true
	}
	e := m.elf
	if e == nil {
		return Symbol{Module: m.path}, false
	}
	vaddr, ok := e.vaddrOf(addr - m.start + m.off)
	if !ok {
		return Symbol{Module: m.path}, false
	}
	s, ok := e.Lookup(vaddr)
	s.Module = m.path
	return s, ok
}

// fileSymbols reads (once per file) the symbols of a mapping's file.
func (u *UserSymbols) fileSymbols(pid int, m *mapping) *ELFSymbols {
	e, ok := u.files[m.file]
	if !ok {
		if h, ok := u.held[m.file]; ok {
			e, _ = readELF(h.root, m.path, h.f)
			h.f.Close()
			delete(u.held, m.file)
		} else {
			// Through /proc/PID/root so containers' files are found.
			e, _ = openELF(fmt.Sprintf("/proc/%d/root", pid), m.path)
		}
		u.files[m.file] = e
	}
	return e
}

// readMaps lists pid's mappings of code.
func readMaps(pid int) ([]mapping, error) {
	maps, err := procmaps.Read(pid, executableCode)
	if err != nil {
		return nil, err
	}
	return toMappings(maps), nil
}

// executableCode keeps executable mappings of files and anonymous
// executable memory (JITs); [vdso] and the like are left out.
func executableCode(m *procmaps.Mapping) bool {
	return m.Exec() && (m.Path == "" || m.File() || strings.HasPrefix(m.Path, "[anon"))
}

func toMappings(maps []procmaps.Mapping) []mapping {
	out := make([]mapping, 0, len(maps))
	for _, m := range maps {
		path := m.Path
		if !m.File() {
			path = ""
		}
		key := fileKey{dev: m.Dev, inode: m.Inode}
		if m.Inode == 0 {
			key.path = path
		}
		out = append(out, mapping{start: m.Start, end: m.End, off: m.Offset, path: path, file: key})
	}
	return out
}

// Prime keeps what naming a process's frames needs while it runs: a
// copy of its maps and an open descriptor of each file it maps that is
// not known yet, so a process that exits before its stacks are printed
// (a compiler, a short job) is still named. The symbols themselves are
// read at print time, only from the files frames fall in (reading every
// mapped library's symbols while sampling cost most of a system-wide
// profile's CPU: measured). Known processes are not read again.
func (u *UserSymbols) Prime(pid int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.procs[pid]; ok {
		return
	}
	p := u.proc(pid)
	root := fmt.Sprintf("/proc/%d/root", pid)
	for _, m := range p.maps {
		if m.path == "" {
			continue
		}
		if _, ok := u.files[m.file]; ok {
			continue
		}
		if _, ok := u.held[m.file]; ok || len(u.held) >= maxHeld {
			continue
		}
		if f, err := os.Open(root + m.path); err == nil {
			u.held[m.file] = heldFile{f: f, root: root}
		}
	}
}
