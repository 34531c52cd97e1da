package lang

import (
	"strconv"
	"strings"

	"github.com/cilium/ebpf/asm"
)

// sargIndex is N of sargN (an argument passed on the stack), else -1.
func sargIndex(name string) int {
	if !strings.HasPrefix(name, "sarg") || len(name) < 5 {
		return -1
	}
	n, err := strconv.Atoi(name[4:])
	if err != nil || n < 0 || n > 31 || strconv.Itoa(n) != name[4:] {
		return -1
	}
	return n
}

// moreBuiltinType types numaid, rand and sargN.
func (g *gen) moreBuiltinType(e *Ident) (Type, bool, error) {
	switch {
	case e.Name == "numaid" || e.Name == "rand":
		return intType, true, nil
	case sargIndex(e.Name) >= 0:
		if k := g.t.Kind; k != "kprobe" && k != "uprobe" {
			return Type{}, true, errAt(e, "%s is only valid in kprobe and uprobe probes", e.Name)
		}
		return intType, true, nil
	}
	return Type{}, false, nil
}

// moreBuiltinInt leaves numaid, rand or sargN in R0.
func (g *gen) moreBuiltinInt(e *Ident) (bool, error) {
	switch {
	case e.Name == "numaid":
		g.call(asm.FnGetNumaNodeId)
	case e.Name == "rand":
		g.call(asm.FnGetPrandomU32)
	case sargIndex(e.Name) >= 0:
		// The word N above the stack pointer at entry: on x86-64 past
		// the return address the call pushed, on arm64 (which keeps it
		// in a register) from the first word.
		n := sargIndex(e.Name)
		if g.c.opts.Arch != "arm64" {
			n++
		}
		mark := g.used
		tmp := g.alloc(8)
		g.zero(tmp, 8)
		g.stackPtr(asm.R1, tmp)
		g.emit(asm.Mov.Imm(asm.R2, 8), asm.LoadMem(asm.R3, asm.R6, ptRegsNamed[g.archOrAmd64()]["sp"], asm.DWord), asm.Add.Imm(asm.R3, int32(8*n)))
		fn := asm.FnProbeReadKernel
		if g.t.Kind == "uprobe" {
			fn = asm.FnProbeReadUser
		}
		g.call(fn)
		g.emit(asm.LoadMem(asm.R0, asm.R10, tmp, asm.DWord))
		g.release(mark)
	default:
		return false, nil
	}
	return true, nil
}

// archOrAmd64 is the target architecture, amd64 when it has no table.
func (g *gen) archOrAmd64() string {
	if _, ok := ptRegsNamed[g.c.opts.Arch]; ok {
		return g.c.opts.Arch
	}
	return "amd64"
}
