package lang

import (
	"fmt"

	"github.com/cilium/ebpf/asm"
)

// emitter builds one program's instructions and manages its stack.
type emitter struct {
	insns   asm.Instructions
	label   string // to be attached to the next instruction
	nlabels int
	prefix  string // of labels: a callback's own ("cb0_")
	used    int    // stack bytes in use, growing down from R10
	peak    int
	err     error
}

const stackLimit = 512

func (e *emitter) emit(ins ...asm.Instruction) {
	for _, in := range ins {
		if e.label != "" {
			in = in.WithSymbol(e.label)
			e.label = ""
		}
		e.insns = append(e.insns, in)
	}
}

// newLabel names a jump target; mark places it at the next instruction.
func (e *emitter) newLabel() string {
	e.nlabels++
	return fmt.Sprintf("%sL%d", e.prefix, e.nlabels)
}

func (e *emitter) mark(label string) {
	if e.label != "" {
		// Two labels on one spot: pin the earlier to a no-op.
		e.emit(asm.Mov.Reg(asm.R0, asm.R0))
	}
	e.label = label
}

// alloc reserves n bytes (rounded up to 8) of stack, returning the offset
// from R10.
func (e *emitter) alloc(n int) int16 {
	n = (n + 7) &^ 7
	e.used += n
	if e.used > e.peak {
		e.peak = e.used
	}
	if e.used > stackLimit && e.err == nil {
		e.err = fmt.Errorf("program needs more than %d bytes of BPF stack; use shorter strings or fewer printf arguments", stackLimit)
	}
	return int16(-e.used)
}

// release frees stack back to a mark taken with e.used.
func (e *emitter) release(mark int) { e.used = mark }

// zero clears n bytes of stack at off.
func (e *emitter) zero(off int16, n int) {
	for i := 0; i < n; i += 8 {
		e.emit(storeImm(asm.R10, off+int16(i), int32(0)))
	}
}

// stackPtr puts R10+off in reg.
func (e *emitter) stackPtr(reg asm.Register, off int16) {
	e.emit(asm.Mov.Reg(reg, asm.R10), asm.Add.Imm(reg, int32(off)))
}

func (e *emitter) mapPtr(reg asm.Register, name string) {
	e.emit(asm.LoadMapPtr(reg, 0).WithReference(name))
}

// copyStack copies n bytes (a multiple of 8) between stack slots.
func (e *emitter) copyStack(dst, src int16, n int) {
	for i := 0; i < n; i += 8 {
		e.emit(asm.LoadMem(asm.R1, asm.R10, src+int16(i), asm.DWord), asm.StoreMem(asm.R10, dst+int16(i), asm.R1, asm.DWord))
	}
}

// storeImm is *(u64 *)(dst+off) = v for v that fits in 32 signed bits
// (sign-extended by the kernel). cilium's asm.StoreImm refuses DWord,
// although BPF_ST|BPF_MEM|BPF_DW is a valid instruction.
func storeImm(dst asm.Register, off int16, v int32) asm.Instruction {
	return asm.Instruction{OpCode: asm.StoreImmOp(asm.DWord), Dst: dst, Offset: off, Constant: int64(v)}
}
