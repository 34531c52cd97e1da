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
	"sort"
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

// KernelSymbols is a sorted copy of kallsyms' code symbols.
type KernelSymbols struct {
	syms       []Symbol
	byNameOnce sync.Once
	byName     map[string]uint64 // built on the first Address call
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

// ParseKallsyms reads "ffffffff81000000 T _stext [module]" lines. It is
// on every stack tool's start-up path (some 200,000 lines), so it splits
// lines by hand and allocates only the names it keeps.
func ParseKallsyms(r io.Reader) (*KernelSymbols, error) {
	k := &KernelSymbols{syms: make([]Symbol, 0, 1<<17)}
	br := bufio.NewReaderSize(r, 1<<20)
	modules := map[string]string{} // one string per module name
	lines, zero := 0, 0
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			for err == bufio.ErrBufferFull { // an absurd line: skip it
				_, err = br.ReadSlice('\n')
			}
			continue
		}
		if len(line) > 0 {
			lines += k.addLine(line, modules, &zero)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading kallsyms: %w", err)
		}
	}
	if lines > 0 && zero == lines {
		return nil, ErrRestricted
	}
	// Mostly in order already; the generic sort is several times faster
	// than sort.SliceStable's reflection on 100,000+ symbols.
	slices.SortStableFunc(k.syms, func(a, b Symbol) int { return cmp.Compare(a.Addr, b.Addr) })
	return k, nil
}

// addLine parses one line; it returns 1 when the line had the three
// fields, and counts zero addresses in *zero.
func (k *KernelSymbols) addLine(line []byte, modules map[string]string, zero *int) int {
	line = bytes.TrimRight(line, "\r\n")
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 <= 0 || len(line) < sp1+3 || line[sp1+2] != ' ' {
		return 0
	}
	addrText, typ, rest := line[:sp1], line[sp1+1], line[sp1+3:]
	if len(rest) == 0 {
		return 0
	}
	var addr uint64
	for _, c := range addrText {
		switch {
		case c >= '0' && c <= '9':
			addr = addr<<4 | uint64(c-'0')
		case c >= 'a' && c <= 'f':
			addr = addr<<4 | uint64(c-'a'+10)
		case c >= 'A' && c <= 'F':
			addr = addr<<4 | uint64(c-'A'+10)
		default:
			return 1
		}
	}
	if addr == 0 {
		*zero++
		return 1
	}
	switch typ {
	case 't', 'T', 'w', 'W':
	default:
		return 1 // data symbols do not name code
	}
	name, module := rest, []byte(nil)
	if i := bytes.IndexAny(rest, " \t"); i >= 0 {
		name, module = rest[:i], bytes.Trim(bytes.TrimSpace(rest[i:]), "[]")
	}
	sym := Symbol{Name: string(name), Addr: addr}
	if len(module) > 0 {
		m, ok := modules[string(module)]
		if !ok {
			m = string(module)
			modules[m] = m
		}
		sym.Module = m
	}
	k.syms = append(k.syms, sym)
	return 1
}

// Lookup names the symbol containing addr.
func (k *KernelSymbols) Lookup(addr uint64) (Symbol, bool) {
	i := sort.Search(len(k.syms), func(i int) bool { return k.syms[i].Addr > addr }) - 1
	if i < 0 {
		return Symbol{}, false
	}
	s := k.syms[i]
	s.Offset = addr - s.Addr
	return s, true
}

// Address finds a symbol's address by name (the first one kallsyms lists).
func (k *KernelSymbols) Address(name string) (uint64, bool) {
	k.byNameOnce.Do(func() {
		k.byName = make(map[string]uint64, len(k.syms))
		// Sorted by address now: keep the lowest address of a duplicate,
		// as kallsyms order mostly is.
		for _, s := range k.syms {
			if _, dup := k.byName[s.Name]; !dup {
				k.byName[s.Name] = s.Addr
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
