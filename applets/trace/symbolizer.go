package trace

import (
	"fmt"

	"github.com/probebox/probebox/core/syms"
)

// cachedSymbolizer names frames through the shared symbolizer (kallsyms
// read once, ELF files once per file, debug files, perf maps) and prints
// them as bpftrace does: "name+offset" in decimal, hex when unknown.
type cachedSymbolizer struct {
	s *syms.Symbolizer
}

func newSymbolizer() symbolizer { return &cachedSymbolizer{s: syms.NewSymbolizer()} }

func (c *cachedSymbolizer) Kernel(addr uint64, offset bool) string {
	return frameText(c.s.Kernel(addr), offset)
}

func (c *cachedSymbolizer) User(pid int, addr uint64, offset bool) string {
	return frameText(c.s.UserFrame(pid, addr), offset)
}

func (c *cachedSymbolizer) UserModule(pid int, addr uint64) string {
	return c.s.UserFrame(pid, addr).Module
}

func frameText(f syms.Frame, offset bool) string {
	if !f.Known {
		if !offset {
			return hexAddr(f.Addr)
		}
		return fmt.Sprintf("0x%x", f.Addr)
	}
	return symbolText(syms.Symbol{Name: f.Name, Offset: f.Offset}, offset)
}

// hexAddr is an unknown address as bpftrace prints it, through C++'s
// ostream << (void *): 0x-prefixed hex, but a plain "0" for null.
func hexAddr(addr uint64) string {
	if addr == 0 {
		return "0"
	}
	return fmt.Sprintf("0x%x", addr)
}

func symbolText(s syms.Symbol, offset bool) string {
	if offset {
		return s.String()
	}
	return s.Name
}
