package lang

import "github.com/cilium/ebpf/asm"

// buf(ptr, n) and buf(array) copy raw bytes, printed with %r as
// bpftrace prints them: printable ASCII as it is, other bytes \xNN.
//
// The value is a u64 length, then the bytes (BufLenSize + capacity). A
// literal n sizes the buffer; any other n gets bpftrace's string length
// (64), and the length kept is min(n, 64), as bpftrace keeps it.

// BufLenSize is the length word before a buffer's bytes.
const BufLenSize = 8

// bufCallType types buf().
func (g *gen) bufCallType(e *Call) (Type, error) {
	switch len(e.Args) {
	case 1:
		n := g.memberBytes(e.Args[0])
		if n == 0 {
			if t, err := g.typeOf(e.Args[0]); err != nil || t.Kind != KBytes {
				return Type{}, firstErr(err, errAt(e, "buf() takes an address and a length, or an array: buf(ptr, n), buf(arr)"))
			}
			t, _ := g.typeOf(e.Args[0])
			n = t.Size
		}
		return bufType(min(n, StrLen)), nil
	case 2:
	default:
		return Type{}, errAt(e, "buf() takes an address and a length, or an array: buf(ptr, n), buf(arr)")
	}
	t, err := g.typeOf(e.Args[0])
	if err != nil {
		return Type{}, err
	}
	if t.Kind != KInt {
		return Type{}, errAt(e.Args[0], "buf() expects an integer or a pointer as its address (%s provided)", t)
	}
	lt, err := g.typeOf(e.Args[1])
	if err != nil {
		return Type{}, err
	}
	if lt.Kind != KInt {
		return Type{}, errAt(e.Args[1], "buf()'s length must be an integer, not %s", lt)
	}
	n := StrLen
	if lit, ok := e.Args[1].(*Int); ok {
		if lit.V < 0 {
			return Type{}, errAt(e.Args[1], "buf()'s length must not be negative")
		}
		n = int(min(lit.V, StrLen))
	}
	return bufType(n), nil
}

// bufType is a buffer of n bytes at most.
func bufType(n int) Type { return Type{Kind: KBuf, Size: BufLenSize + roundStr(max(n, 1)), Bits: n} }

// BufCap is the most bytes a buffer value holds.
func BufCap(t Type) int { return t.Size - BufLenSize }

// genBuf writes buf(...) at off: the length, then the bytes.
func (g *gen) genBuf(e *Call, off int16, t Type) error {
	capacity := BufCap(t)
	g.zero(off, t.Size)
	if len(e.Args) == 1 {
		fe, ok := e.Args[0].(*Field)
		if !ok {
			return errAt(e.Args[0], "buf() takes an array field itself, not an expression of it")
		}
		n := t.Bits
		if g.memberBytes(fe) > 0 {
			if _, _, err := g.memberAddr(fe); err != nil {
				return err
			}
			g.emit(asm.Mov.Reg(asm.R3, asm.R0))
		} else {
			f, err := g.field(fe)
			if err != nil {
				return err
			}
			g.emit(asm.Mov.Reg(asm.R3, asm.R6), asm.Add.Imm(asm.R3, int32(f.off)))
		}
		g.emit(storeImm(asm.R10, off, int32(n)))
		g.stackPtr(asm.R1, off+BufLenSize)
		g.emit(asm.Mov.Imm(asm.R2, int32(n)))
		g.call(asm.FnProbeReadKernel)
		return nil
	}
	if err := g.genInt(e.Args[0]); err != nil {
		return err
	}
	mark := g.used
	defer g.release(mark)
	ptr := g.alloc(8)
	g.emit(asm.StoreMem(asm.R10, ptr, asm.R0, asm.DWord))
	// The length, clamped to the buffer, so that the verifier sees the
	// read's bound.
	if lit, ok := e.Args[1].(*Int); ok {
		g.emit(asm.Mov.Imm(asm.R0, int32(min(lit.V, int64(capacity)))))
	} else {
		if err := g.genInt(e.Args[1]); err != nil {
			return err
		}
		ok, neg := g.newLabel(), g.newLabel()
		g.emit(asm.JSLT.Imm(asm.R0, 0, neg), asm.JLE.Imm(asm.R0, int32(t.Bits), ok))
		g.emit(asm.Mov.Imm(asm.R0, int32(t.Bits)), asm.Ja.Label(ok))
		g.mark(neg)
		g.emit(asm.Mov.Imm(asm.R0, 0))
		g.mark(ok)
	}
	g.emit(asm.StoreMem(asm.R10, off, asm.R0, asm.DWord))
	done := g.newLabel()
	g.emit(asm.JEq.Imm(asm.R0, 0, done))
	g.stackPtr(asm.R1, off+BufLenSize)
	g.emit(asm.Mov.Reg(asm.R2, asm.R0), asm.LoadMem(asm.R3, asm.R10, ptr, asm.DWord))
	g.call(asm.FnProbeReadUser)
	// A kernel pointer fails as a user one: try again as kernel memory.
	g.emit(asm.JEq.Imm(asm.R0, 0, done))
	g.stackPtr(asm.R1, off+BufLenSize)
	g.emit(asm.LoadMem(asm.R2, asm.R10, off, asm.DWord), asm.LoadMem(asm.R3, asm.R10, ptr, asm.DWord))
	g.emit(asm.JGT.Imm(asm.R2, int32(capacity), done))
	g.call(asm.FnProbeReadKernel)
	g.mark(done)
	g.emit(asm.Mov.Imm(asm.R0, 0))
	return nil
}
