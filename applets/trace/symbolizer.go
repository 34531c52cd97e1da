package trace

import (
	"fmt"
	"sync"

	"github.com/probebox/probebox/core/syms"
)

// cachedSymbolizer names frames with kallsyms (read once, on first use)
// and the ELF symbols of the traced processes.
type cachedSymbolizer struct {
	once   sync.Once
	kernel *syms.KernelSymbols
	user   *syms.UserSymbols
}

func newSymbolizer() symbolizer { return &cachedSymbolizer{user: syms.NewUserSymbols()} }

func (c *cachedSymbolizer) Kernel(addr uint64, offset bool) string {
	c.once.Do(func() { c.kernel, _ = syms.LoadKernel() })
	if c.kernel != nil {
		if s, ok := c.kernel.Lookup(addr); ok {
			return symbolText(s, offset)
		}
	}
	if !offset {
		return hexAddr(addr)
	}
	return fmt.Sprintf("0x%x", addr)
}

func (c *cachedSymbolizer) User(pid int, addr uint64, offset bool) string {
	if s, ok := c.user.Lookup(pid, addr); ok {
		return symbolText(s, offset)
	}
	if !offset {
		return hexAddr(addr)
	}
	return fmt.Sprintf("0x%x", addr)
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
