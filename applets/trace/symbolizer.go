package trace

import "fmt"

// addrSymbolizer prints raw addresses; it stands in until symbols are
// wired to core/syms.
type addrSymbolizer struct{}

func newSymbolizer() symbolizer { return addrSymbolizer{} }

func (addrSymbolizer) Kernel(addr uint64) string        { return fmt.Sprintf("0x%x", addr) }
func (addrSymbolizer) User(pid int, addr uint64) string { return fmt.Sprintf("0x%x", addr) }
