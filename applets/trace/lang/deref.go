package lang

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// derefType types *x: x is a pointer whose target BTF knows, or, as
// bpftrace allows, a plain integer (kaddr()'s address in loads.bt), read
// as an unsigned integer of its own size.
func (g *gen) derefType(e *Unary, t Type) (Type, memberInfo, error) {
	if t.Kind == KInt && t.Ptr == nil {
		size := 8
		if t.Bits == 8 || t.Bits == 16 || t.Bits == 32 {
			size = t.Bits / 8
		}
		return Type{Kind: KInt, Size: 8, Bits: 8 * size}, memberInfo{size: size}, nil
	}
	if t.Kind != KInt {
		return Type{}, memberInfo{}, errAt(e, "cannot dereference %s: it is not a pointer or an integer", t)
	}
	user := t.User
	switch pt := g.pointee(t.Ptr).(type) {
	case *btf.Int:
		if pt.Size == 1 || pt.Size == 2 || pt.Size == 4 || pt.Size == 8 {
			return Type{Kind: KInt, Size: 8}, memberInfo{size: int(pt.Size), signed: pt.Encoding&btf.Signed != 0}, nil
		}
	case *btf.Enum:
		return intType, memberInfo{size: int(pt.Size), signed: pt.Signed}, nil
	case *btf.Pointer:
		return Type{Kind: KInt, Size: 8, Ptr: pt.Target, User: user}, memberInfo{size: 8}, nil
	case *btf.Struct, *btf.Union:
		return Type{Kind: KStruct, Struct: pt, User: user}, memberInfo{}, nil
	}
	return Type{}, memberInfo{}, errAt(e, "cannot dereference a pointer to %s", btfName(t.Ptr))
}

// genDeref leaves *x in R0; a struct's value is its address, whose
// fields are then read one by one.
func (g *gen) genDeref(e *Unary) error {
	xt, err := g.typeOf(e.X)
	if err != nil {
		return err
	}
	t, mi, err := g.derefType(e, xt)
	if err != nil {
		return err
	}
	if err := g.genInt(e.X); err != nil {
		return err
	}
	if t.Kind == KStruct {
		return nil
	}
	g.readInto(mi, xt.User)
	return nil
}

// readInto replaces the address in R0 by the integer there, read with
// bpf_probe_read_kernel (or _user), cut to its bits and sign-extended
// when signed.
func (g *gen) readInto(mi memberInfo, user bool) {
	mark := g.used
	defer g.release(mark)
	tmp := g.alloc(8)
	g.emit(storeImm(asm.R10, tmp, 0), asm.Mov.Reg(asm.R3, asm.R0))
	g.stackPtr(asm.R1, tmp)
	g.emit(asm.Mov.Imm(asm.R2, int32(mi.size)))
	if user {
		g.call(asm.FnProbeReadUser)
	} else {
		g.call(asm.FnProbeReadKernel)
	}
	g.emit(asm.LoadMem(asm.R0, asm.R10, tmp, asm.DWord))
	width := 8 * mi.size
	if mi.bits > 0 {
		g.emit(asm.RSh.Imm(asm.R0, int32(mi.bitOff)))
		width = mi.bits
	}
	if width < 64 {
		// Keep the value's bits, sign-extended when it is signed.
		shift := int32(64 - width)
		g.emit(asm.LSh.Imm(asm.R0, shift))
		if mi.signed {
			g.emit(asm.ArSh.Imm(asm.R0, shift))
		} else {
			g.emit(asm.RSh.Imm(asm.R0, shift))
		}
	}
}

// intPointee is the BTF integer an (intN *) cast points to.
func intPointee(name string) btf.Type {
	size := map[string]uint32{"int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "int64": 8, "uint64": 8}[name]
	i := &btf.Int{Name: name, Size: size}
	if name[0] == 'i' {
		i.Encoding = btf.Signed
	}
	return i
}
