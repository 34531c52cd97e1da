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

func (c *cachedSymbolizer) Kernel(addr uint64) string {
	c.once.Do(func() { c.kernel, _ = syms.LoadKernel() })
	if c.kernel != nil {
		if s, ok := c.kernel.Lookup(addr); ok {
			return s.String()
		}
	}
	return fmt.Sprintf("0x%x", addr)
}

func (c *cachedSymbolizer) User(pid int, addr uint64) string {
	if s, ok := c.user.Lookup(pid, addr); ok {
		return s.String()
	}
	return fmt.Sprintf("0x%x", addr)
}
