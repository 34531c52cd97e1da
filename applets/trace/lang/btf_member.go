package lang

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// memberInfo is where a struct member lives and how to read it. Offsets
// come from the running kernel's BTF: the program is compiled on the
// machine it runs on, so no CO-RE relocation is needed.
type memberInfo struct {
	off    int // bytes from the start of the struct
	size   int // bytes to read: the member, or the bytes a bitfield spans
	signed bool
	bitOff int // bitfields: bits to shift right after reading
	bits   int // bitfields: width; 0 for whole members
}

// btfName is a BTF type as C spells it: "struct task_struct", "int *".
func btfName(t btf.Type) string {
	switch t := t.(type) {
	case nil:
		return "void"
	case *btf.Pointer:
		return btfName(t.Target) + " *"
	case *btf.Struct:
		return "struct " + t.Name
	case *btf.Union:
		return "union " + t.Name
	case *btf.Const:
		return btfName(t.Type)
	case *btf.Volatile:
		return btfName(t.Type)
	case *btf.Fwd:
		if t.Kind == btf.FwdUnion {
			return "union " + t.Name
		}
		return "struct " + t.Name
	}
	return t.TypeName()
}

func members(t btf.Type) ([]btf.Member, bool) {
	switch t := t.(type) {
	case *btf.Struct:
		return t.Members, true
	case *btf.Union:
		return t.Members, true
	}
	return nil, false
}

// findMember looks for name in a struct or union, and in its anonymous
// struct and union members, returning the member and its bit offset.
func findMember(t btf.Type, name string) (btf.Member, btf.Bits, bool) {
	ms, _ := members(t)
	for _, m := range ms {
		if m.Name == name {
			return m, m.Offset, true
		}
		if m.Name == "" {
			if inner, off, ok := findMember(btf.UnderlyingType(m.Type), name); ok {
				return inner, m.Offset + off, true
			}
		}
	}
	return btf.Member{}, 0, false
}

// composite gives the struct or union whose member e names: e.X is a
// pointer to one, or a struct member itself.
func (g *gen) composite(e *Field) (btf.Type, error) {
	bt, err := g.typeOf(e.X)
	if err != nil {
		return nil, err
	}
	if bt.Kind == KStruct {
		return bt.Struct, nil
	}
	if bt.Kind == KInt && bt.Ptr != nil {
		target := g.pointee(bt.Ptr)
		if _, ok := members(target); ok {
			return target, nil
		}
		return nil, errAt(e, "cannot read field %s of a %s pointer", e.Name, btfName(bt.Ptr))
	}
	return nil, errAt(e, "%s has no fields: cast it to a struct pointer, ((struct NAME *)x)->%s", exprString(e.X), e.Name)
}

// pointee is what a pointer's target type is underneath: a struct or
// union the kernel's BTF gave only by name (a forward declaration: the
// kernel types are built one struct at a time) is looked up now that the
// program reads through the pointer.
func (g *gen) pointee(target btf.Type) btf.Type {
	u := btf.UnderlyingType(target)
	if f, ok := u.(*btf.Fwd); ok {
		if t, err := g.c.typeNamed(btfName(f)); err == nil {
			return t
		}
	}
	return u
}

// memberType types x->name for a BTF struct pointer or struct x.
func (g *gen) memberType(e *Field) (Type, memberInfo, error) {
	comp, err := g.composite(e)
	if err != nil {
		return Type{}, memberInfo{}, err
	}
	m, bits, ok := findMember(comp, e.Name)
	if !ok {
		return Type{}, memberInfo{}, errAt(e, "%s has no field %q", btfName(comp), e.Name)
	}
	mi := memberInfo{off: int(bits / 8)}
	mt := btf.UnderlyingType(m.Type)
	if m.BitfieldSize > 0 {
		mi.bitOff, mi.bits = int(bits%8), int(m.BitfieldSize)
		mi.size = readSize((mi.bitOff + mi.bits + 7) / 8)
		if i, ok := mt.(*btf.Int); ok {
			mi.signed = i.Encoding&btf.Signed != 0
		}
		return intType, mi, nil
	}
	switch mt := mt.(type) {
	case *btf.Int:
		mi.size, mi.signed = int(mt.Size), mt.Encoding&btf.Signed != 0
		return Type{Kind: KInt, Size: 8, Bits: 8 * int(mt.Size)}, mi, nil
	case *btf.Enum:
		mi.size, mi.signed = int(mt.Size), mt.Signed
		return intType, mi, nil
	case *btf.Pointer:
		mi.size = 8
		return Type{Kind: KInt, Size: 8, Ptr: mt.Target, User: g.userBase(e)}, mi, nil
	case *btf.Struct, *btf.Union:
		return Type{Kind: KStruct, Struct: mt, User: g.userBase(e)}, mi, nil
	case *btf.Array:
		if el, ok := btf.UnderlyingType(mt.Type).(*btf.Int); ok && el.Size == 1 {
			mi.size = int(mt.Nelems)
			return strType(roundStr(int(mt.Nelems))), mi, nil
		}
	}
	return Type{}, memberInfo{}, errAt(e, "field %s is a %s, which cannot be read yet", e.Name, btfName(m.Type))
}

// readSize rounds a byte count up to a load size: 1, 2, 4 or 8.
func readSize(n int) int {
	for _, s := range []int{1, 2, 4} {
		if n <= s {
			return s
		}
	}
	return 8
}

// memberAddr leaves the address of x->name in R0.
func (g *gen) memberAddr(e *Field) (Type, memberInfo, error) {
	t, mi, err := g.memberType(e)
	if err != nil {
		return t, mi, err
	}
	if err := g.genInt(e.X); err != nil {
		return t, mi, err
	}
	if mi.off != 0 {
		g.emit(asm.Add.Imm(asm.R0, int32(mi.off)))
	}
	return t, mi, nil
}

// memberInt leaves the value of an integer or pointer member in R0 (a
// struct member: its address), read with bpf_probe_read_kernel.
func (g *gen) memberInt(e *Field) error {
	t, mi, err := g.memberAddr(e)
	if err != nil || t.Kind == KStruct {
		return err
	}
	base, _ := g.typeOf(e.X)
	g.readInto(mi, base.User)
	return nil
}

// memberStr reads a char array member into size bytes at off.
func (g *gen) memberStr(e *Field, off int16, size int) error {
	_, mi, err := g.memberAddr(e)
	if err != nil {
		return err
	}
	g.emit(asm.Mov.Reg(asm.R3, asm.R0))
	g.zero(off, size)
	g.stackPtr(asm.R1, off)
	g.emit(asm.Mov.Imm(asm.R2, int32(min(size-1, mi.size))))
	if g.userBase(e) {
		g.call(asm.FnProbeReadUser)
	} else {
		g.call(asm.FnProbeReadKernel)
	}
	return nil
}

// castType types (TYPE)x.
func (g *gen) castType(e *Cast) (Type, error) {
	xt, err := g.typeOf(e.X)
	if err != nil {
		return Type{}, err
	}
	if xt.Kind != KInt {
		return Type{}, errAt(e, "cannot cast a %s to %s", xt, e.Type)
	}
	if intTypes[e.Type] && e.Ptr == 0 {
		return Type{Kind: KInt, Size: 8, Bits: 8 * int(intPointee(e.Type).(*btf.Int).Size)}, nil
	}
	var target btf.Type
	if intTypes[e.Type] {
		target = intPointee(e.Type)
	} else if target, err = g.c.typeNamed(e.Type); err != nil {
		return Type{}, errAt(e, "%v", err)
	}
	for i := 1; i < e.Ptr; i++ {
		target = &btf.Pointer{Target: target}
	}
	return Type{Kind: KInt, Size: 8, Ptr: target, User: xt.User}, nil
}

// genCast leaves (TYPE)x in R0: integer casts truncate and extend as C
// does; pointer casts only change the type.
func (g *gen) genCast(e *Cast) error {
	if err := g.genInt(e.X); err != nil || e.Ptr > 0 {
		return err
	}
	switch e.Type {
	case "uint32":
		g.emit(asm.Mov.Reg32(asm.R0, asm.R0))
	case "uint16":
		g.emit(asm.And.Imm(asm.R0, 0xffff))
	case "uint8":
		g.emit(asm.And.Imm(asm.R0, 0xff))
	case "int32", "int16", "int8":
		shift := map[string]int32{"int32": 32, "int16": 48, "int8": 56}[e.Type]
		g.emit(asm.LSh.Imm(asm.R0, shift), asm.ArSh.Imm(asm.R0, shift))
	}
	return nil
}

// curtaskType is struct task_struct *, when the kernel's BTF has it.
func (g *gen) curtaskType() Type {
	if t, err := g.c.typeNamed("struct task_struct"); err == nil {
		return Type{Kind: KInt, Size: 8, Ptr: t}
	}
	return intType
}

// userBase: e's struct lives in user memory, so what it points to does
// too.
func (g *gen) userBase(e *Field) bool {
	t, err := g.typeOf(e.X)
	return err == nil && t.User
}
