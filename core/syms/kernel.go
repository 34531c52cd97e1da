// Package syms turns code addresses into symbol names: kernel addresses
// through /proc/kallsyms, user addresses through the ELF symbol tables of
// the files a process maps, cached per file.
package syms

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
)

// Symbol is a resolved address.
type Symbol struct {
	Name   string
	Addr   uint64
	Offset uint64
	Module string // kernel module ("ext4") or the ELF file's path
}

// String is "name+0x1a", as bpftrace and bcc print frames.
func (s Symbol) String() string {
	if s.Offset == 0 {
		return s.Name
	}
	return s.Name + "+" + strconv.FormatUint(s.Offset, 10)
}

// KernelSymbols is a sorted copy of kallsyms' code symbols. Every name
// is a piece of one string and the tables hold no pointers, so the
// 120,000 symbols are a dozen allocations the garbage collector need not
// scan (a Symbol and a string each were 122,000 allocations; LoadKernel
// took 50-70 ms here, now 35-45, 24 of them the kernel's making the text).
type KernelSymbols struct {
	addrs      addrTable // sorted
	syms       []kname   // the names of addrs
	names      string    // the names, back to back
	modules    []string  // kname.module-1 indexes it; 0 is vmlinux
	byNameOnce sync.Once
	byName     map[string]uint64 // built on the first Address call
}

// ksym is one symbol as parsed.
type ksym struct {
	addr uint64
	kname
}

// kname is a symbol's name, names[off:off+n], and module.
type kname struct {
	off    uint32
	n      uint16
	module uint16
}

// ErrRestricted means every address read as 0: kernel.kptr_restrict or
// missing privileges hide them.
var ErrRestricted = errors.New("kernel symbol addresses are hidden (run as root, or lower kernel.kptr_restrict)")

// LoadKernel reads /proc/kallsyms.
func LoadKernel() (*KernelSymbols, error) {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseKallsyms(f)
}

// maxKallsymsLine bounds a line (KSYM_NAME_LEN is 512); longer ones are
// skipped.
const maxKallsymsLine = 1 << 20

// kallsymsParser holds what ParseKallsyms builds before the names become
// one string.
type kallsymsParser struct {
	syms      []ksym
	names     []byte
	modules   []string
	moduleIdx map[string]uint16
	lines     int
	zero      int
}

// ParseKallsyms reads "ffffffff81000000 T _stext [module]" lines. It is
// on every stack tool's start-up path (some 120,000 lines), so it splits
// lines by hand and allocates nothing per line.
func ParseKallsyms(r io.Reader) (*KernelSymbols, error) {
	p := &kallsymsParser{syms: make([]ksym, 0, 1<<17), names: make([]byte, 0, 4<<20), moduleIdx: map[string]uint16{}}
	br := bufio.NewReaderSize(r, maxKallsymsLine)
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			for err == bufio.ErrBufferFull { // an absurd line: skip it
				_, err = br.ReadSlice('\n')
			}
			continue
		}
		if len(line) > 0 {
			p.addLine(line)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading kallsyms: %w", err)
		}
	}
	if p.lines > 0 && p.zero == p.lines {
		return nil, ErrRestricted
	}
	// kallsyms is in address order but for a few module symbols: check
	// before sorting. Ties keep kallsyms' order (a name's offset grows
	// with its line), as a stable sort would.
	byAddr := func(a, b ksym) int {
		if c := cmp.Compare(a.addr, b.addr); c != 0 {
			return c
		}
		return cmp.Compare(a.off, b.off)
	}
	if !slices.IsSortedFunc(p.syms, byAddr) {
		slices.SortFunc(p.syms, byAddr)
	}
	addrs, names := make([]uint64, len(p.syms)), make([]kname, len(p.syms))
	for i, s := range p.syms {
		addrs[i], names[i] = s.addr, s.kname
	}
	return &KernelSymbols{addrs: newAddrTable(addrs), syms: names, names: string(p.names), modules: p.modules}, nil
}

// hexDigit is a hex digit's value, 255 for other bytes.
var hexDigit = func() (t [256]byte) {
	for i := range t {
		t[i] = 255
	}
	for i := 0; i < 10; i++ {
		t['0'+i] = byte(i)
	}
	for i := 0; i < 6; i++ {
		t['a'+i], t['A'+i] = byte(10+i), byte(10+i)
	}
	return t
}()

// addLine parses one line, counting the lines with the three fields and,
// of those, the zero addresses.
func (p *kallsymsParser) addLine(line []byte) {
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 <= 0 || len(line) < sp1+3 || line[sp1+2] != ' ' {
		return
	}
	addrText, typ, rest := line[:sp1], line[sp1+1], line[sp1+3:]
	if len(rest) == 0 {
		return
	}
	p.lines++
	var addr uint64
	for _, c := range addrText {
		d := hexDigit[c]
		if d > 15 {
			return
		}
		addr = addr<<4 | uint64(d)
	}
	if addr == 0 {
		p.zero++
		return
	}
	switch typ {
	case 't', 'T', 'w', 'W':
	default:
		return // data symbols do not name code
	}
	name, module := rest, []byte(nil)
	for i, c := range rest {
		if c == ' ' || c == '\t' { // "name\t[module]"
			name, module = rest[:i], bytes.Trim(bytes.TrimSpace(rest[i:]), "[]")
			break
		}
	}
	if len(name) > 0xffff || len(p.names)+len(name) > 0xffffffff {
		return // KSYM_NAME_LEN is 512; nothing real is this long
	}
	s := ksym{addr: addr, kname: kname{off: uint32(len(p.names)), n: uint16(len(name))}}
	p.names = append(p.names, name...)
	if len(module) > 0 {
		m, ok := p.moduleIdx[string(module)]
		if !ok {
			if len(p.modules) >= 0xfffe {
				return
			}
			p.modules = append(p.modules, string(module))
			m = uint16(len(p.modules))
			p.moduleIdx[p.modules[m-1]] = m
		}
		s.module = m
	}
	p.syms = append(p.syms, s)
}

func (k *KernelSymbols) name(s kname) string { return k.names[s.off : s.off+uint32(s.n)] }

// Lookup names the symbol containing addr.
func (k *KernelSymbols) Lookup(addr uint64) (Symbol, bool) {
	i := k.addrs.find(addr)
	if i < 0 {
		return Symbol{}, false
	}
	n := k.syms[i]
	s := Symbol{Name: k.name(n), Addr: k.addrs.addrs[i]}
	if n.module > 0 {
		s.Module = k.modules[n.module-1]
	}
	s.Offset = addr - s.Addr
	return s, true
}

// Address finds a symbol's address by name (the first one kallsyms lists).
func (k *KernelSymbols) Address(name string) (uint64, bool) {
	k.byNameOnce.Do(func() {
		k.byName = make(map[string]uint64, len(k.syms))
		// Sorted by address now: keep the lowest address of a duplicate,
		// as kallsyms order mostly is.
		for i, s := range k.syms {
			if n := k.name(s); k.byName[n] == 0 {
				k.byName[n] = k.addrs.addrs[i]
			}
		}
	})
	a, ok := k.byName[name]
	return a, ok
}

// Len is the number of code symbols.
func (k *KernelSymbols) Len() int { return len(k.syms) }

// KernelDataAddress finds any kernel symbol by name, data symbols too
// (avenrun, for trace's kaddr()), by one pass over /proc/kallsyms:
// KernelSymbols keeps only code. kallsyms lists data symbols only with
// CONFIG_KALLSYMS_ALL.
func KernelDataAddress(name string) (uint64, bool, error) {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := bytes.Fields(sc.Bytes())
		if len(fs) < 3 || string(fs[2]) != name {
			continue
		}
		a, err := strconv.ParseUint(string(fs[0]), 16, 64)
		if err != nil || a == 0 {
			return 0, false, ErrRestricted
		}
		return a, true, nil
	}
	return 0, false, sc.Err()
}
