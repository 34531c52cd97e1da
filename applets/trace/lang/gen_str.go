package lang

import "github.com/cilium/ebpf/asm"

// strCallType types str(ptr [, n]) and str("literal" [, n]) (what
// str($1) becomes): n characters at most, then the NUL, as bpftrace 0.17
// keeps them.
func (g *gen) strCallType(e *Call) (Type, error) {
	if len(e.Args) < 1 || len(e.Args) > 2 {
		return Type{}, errAt(e, "str() takes 1 or 2 arguments")
	}
	n := StrLen
	if len(e.Args) == 2 {
		t, err := g.typeOf(e.Args[1])
		if err != nil {
			return Type{}, err
		}
		if t.Kind != KInt {
			return Type{}, errAt(e.Args[1], "str()'s length must be an integer, not %s", t)
		}
		if lit, ok := e.Args[1].(*Int); ok {
			if lit.V < 0 {
				return Type{}, errAt(e.Args[1], "str()'s length must not be negative")
			}
			if lit.V+1 < StrLen {
				n = roundStr(int(lit.V) + 1)
			}
		}
	}
	if lit, ok := e.Args[0].(*Str); ok {
		return strType(min(n, roundStr(len(lit.V)+1))), nil
	}
	t, err := g.typeOf(e.Args[0])
	if err != nil {
		return Type{}, err
	}
	if t.Kind != KInt {
		return Type{}, errAt(e.Args[0], "str() expects an integer or a pointer type as first argument (%s provided)", t)
	}
	return strType(n), nil
}

// genStrCall writes str(...) into size bytes at off.
func (g *gen) genStrCall(e *Call, off int16, size int) error {
	if e.Name == "path" {
		return g.genPathCall(e, off, size)
	}
	if lit, ok := e.Args[0].(*Str); ok {
		s := lit.V
		if len(e.Args) == 2 {
			if n, ok := e.Args[1].(*Int); ok && int(n.V) < len(s) {
				s = s[:n.V]
			}
		}
		g.storeLiteral(s, off, size)
		return nil
	}
	if err := g.genInt(e.Args[0]); err != nil {
		return err
	}
	mark := g.used
	defer g.release(mark)
	ptr := g.alloc(8)
	g.emit(asm.StoreMem(asm.R10, ptr, asm.R0, asm.DWord))
	// The read size: n characters and the NUL, at most the buffer.
	limit := g.alloc(8)
	g.emit(asm.Mov.Imm(asm.R0, int32(size)))
	if len(e.Args) == 2 {
		if lit, ok := e.Args[1].(*Int); ok {
			g.emit(asm.Mov.Imm(asm.R0, int32(min(int64(size), lit.V+1))))
		} else {
			if err := g.genInt(e.Args[1]); err != nil {
				return err
			}
			big, ok := g.newLabel(), g.newLabel()
			g.emit(asm.Add.Imm(asm.R0, 1), asm.JGT.Imm(asm.R0, int32(size), big), asm.JGE.Imm(asm.R0, 1, ok))
			g.emit(asm.Mov.Imm(asm.R0, 1), asm.Ja.Label(ok))
			g.mark(big)
			g.emit(asm.Mov.Imm(asm.R0, int32(size)))
			g.mark(ok)
			g.emit(asm.Mov.Reg(asm.R0, asm.R0))
		}
	}
	g.emit(asm.StoreMem(asm.R10, limit, asm.R0, asm.DWord))
	g.zero(off, size)
	done := g.newLabel()
	g.stackPtr(asm.R1, off)
	g.emit(asm.LoadMem(asm.R2, asm.R10, limit, asm.DWord), asm.LoadMem(asm.R3, asm.R10, ptr, asm.DWord))
	g.call(asm.FnProbeReadUserStr)
	// A kernel pointer fails as a user one: try again as kernel memory.
	g.emit(asm.JSGE.Imm(asm.R0, 0, done))
	g.stackPtr(asm.R1, off)
	g.emit(asm.LoadMem(asm.R2, asm.R10, limit, asm.DWord), asm.LoadMem(asm.R3, asm.R10, ptr, asm.DWord))
	g.call(asm.FnProbeReadKernelStr)
	g.mark(done)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	return nil
}
