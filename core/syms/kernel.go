// Package syms turns code addresses into symbol names: kernel addresses
// through /proc/kallsyms, user addresses through the ELF symbol tables of
// the files a process maps, cached per file.
package syms

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
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

// KernelSymbols is a sorted copy of kallsyms.
type KernelSymbols struct {
	syms   []Symbol
	byName map[string]uint64
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

// ParseKallsyms reads "ffffffff81000000 T _stext [module]" lines.
func ParseKallsyms(r io.Reader) (*KernelSymbols, error) {
	k := &KernelSymbols{byName: map[string]uint64{}}
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 1<<20)
	lines, zero := 0, 0
	for s.Scan() {
		line := s.Text()
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		lines++
		addr, err := strconv.ParseUint(f[0], 16, 64)
		if err != nil {
			continue
		}
		if addr == 0 {
			zero++
			continue
		}
		switch f[1] {
		case "t", "T", "w", "W":
		default:
			continue // data symbols do not name code
		}
		sym := Symbol{Name: f[2], Addr: addr}
		if len(f) > 3 {
			sym.Module = strings.Trim(f[3], "[]")
		}
		k.syms = append(k.syms, sym)
		if _, dup := k.byName[sym.Name]; !dup {
			k.byName[sym.Name] = addr
		}
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("reading kallsyms: %w", err)
	}
	if lines > 0 && zero == lines {
		return nil, ErrRestricted
	}
	sort.SliceStable(k.syms, func(i, j int) bool { return k.syms[i].Addr < k.syms[j].Addr })
	return k, nil
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

// Address finds a symbol's address by name.
func (k *KernelSymbols) Address(name string) (uint64, bool) {
	a, ok := k.byName[name]
	return a, ok
}

// Len is the number of code symbols.
func (k *KernelSymbols) Len() int { return len(k.syms) }
