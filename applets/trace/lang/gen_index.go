package lang

import (
	"encoding/binary"

	"github.com/cilium/ebpf/asm"
)

// genIndex leaves x[i] in R0.
func (g *gen) genIndex(e *Index) error {
	if f, ok := e.X.(*Field); ok && !isArgs(f) && !isTupleIndex(f) {
		if arr, ok := g.memberArray(f); ok {
			i, err := g.literalIndex(e, arr.n)
			if err != nil {
				return err
			}
			if err := g.genInt(f.X); err != nil {
				return err
			}
			g.emit(asm.Add.Imm(asm.R0, int32(arr.off+i*arr.elem.size)))
			g.readInto(arr.elem, g.userBase(f))
			return nil
		}
	}
	xt, err := g.typeOf(e.X)
	if err != nil {
		return err
	}
	if isPtr(xt) {
		return g.genInt(e.ptrForm())
	}
	i, err := g.literalIndex(e, xt.Size)
	if err != nil {
		return err
	}
	switch x := e.X.(type) {
	case *Call: // pton("..."): known now
		b, err := ptonBytes(x)
		if err != nil {
			return err
		}
		g.emit(asm.Mov.Imm(asm.R0, int32(b[i])))
	case *Var:
		g.emit(asm.LoadMem(asm.R0, asm.R10, g.vars[x.Name].off+int16(i), asm.Byte))
	case *Field: // a uint8[N] tracepoint field
		f, err := g.field(x)
		if err != nil {
			return err
		}
		g.emit(asm.LoadMem(asm.R0, asm.R6, int16(f.off+i), asm.Byte))
	default:
		return errAt(e, "%s cannot be indexed here: index a variable holding it", exprString(e.X))
	}
	return nil
}

// genPton writes pton()'s address bytes at off (size: the slot's, 8 or
// 16).
func (g *gen) genPton(e *Call, off int16, size int) error {
	b, err := ptonBytes(e)
	if err != nil {
		return err
	}
	buf := make([]byte, roundStr(size))
	copy(buf, b)
	for i := 0; i < len(buf); i += 8 {
		w := binary.NativeEndian.Uint64(buf[i:])
		g.emit(asm.LoadImm(asm.R1, int64(w), asm.DWord), asm.StoreMem(asm.R10, off+int16(i), asm.R1, asm.DWord))
	}
	return nil
}
