package lang

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// path(p): the file path of a struct path, by bpf_d_path(). The kernel
// takes only its own BTF-typed pointer, in fentry/fexit (kfunc/kretfunc)
// programs of the functions it allows (vfs_open, filp_close, ...). So p
// must be reached from the probe's arguments through -> and . alone: a
// struct path pointer (args->path) or a struct path member
// (args->filp->f_path), each step a direct load the verifier types by
// BTF, never a bpf_probe_read copy.
func (g *gen) pathCallType(e *Call) (Type, error) {
	if len(e.Args) != 1 {
		return Type{}, errAt(e, "path() takes 1 argument")
	}
	err := g.kernelPointerArg(e, e.Args[0], "bpf_d_path()", isStructPath, "a struct path or struct path pointer", "args->path, args->file->f_path")
	return strType(StrLen), err
}

// kernelPointerArg checks arg of a call to a helper (bpf_d_path(),
// bpf_skb_output()) that takes only the kernel's own BTF-typed pointer:
// the probe is a kfunc/kretfunc (fentry/fexit) one, arg's type is what ok
// accepts (described by what), and arg is reached from args by -> and .
// alone (examples), so the verifier keeps its type.
func (g *gen) kernelPointerArg(call *Call, arg Expr, helper string, ok func(Type) bool, what, examples string) error {
	if g.t.Kind != "fentry" && g.t.Kind != "fexit" {
		return errAt(call, "%s() needs a kfunc/fentry probe (%s is refused in %s programs)", call.Name, helper, g.t.Kind)
	}
	t, err := g.typeOf(arg)
	if err != nil {
		return err
	}
	if !ok(t) {
		return errAt(arg, "%s() takes %s, not %s", call.Name, what, t)
	}
	if !btfChain(arg) {
		return errAt(arg, "%s()'s argument must be reached from args by -> and . only (%s)", call.Name, examples)
	}
	return nil
}

func isStructPath(t Type) bool {
	var target btf.Type
	switch {
	case t.Kind == KStruct:
		target = t.Struct
	case t.Kind == KInt && t.Ptr != nil:
		target = btf.UnderlyingType(t.Ptr)
	}
	return target != nil && btfName(target) == "struct path"
}

// btfChain: e is args->NAME, or a member of one reached the same way.
func btfChain(e Expr) bool {
	f, ok := e.(*Field)
	if !ok {
		return false
	}
	return isArgs(f) || btfChain(f.X)
}

// genBTFPtr leaves in R0 the value of a pointer (or the address of a
// struct) that btfChain accepted, loaded directly so that the verifier
// keeps its BTF type.
func (g *gen) genBTFPtr(e *Field) error {
	if isArgs(e) {
		f, err := g.field(e)
		if err != nil {
			return err
		}
		g.emit(asm.LoadMem(asm.R0, asm.R6, int16(8*f.index), asm.DWord))
		return nil
	}
	t, mi, err := g.memberType(e)
	if err != nil {
		return err
	}
	if err := g.genBTFPtr(e.X.(*Field)); err != nil {
		return err
	}
	if t.Kind == KStruct {
		g.emit(asm.Add.Imm(asm.R0, int32(mi.off)))
		return nil
	}
	g.emit(asm.LoadMem(asm.R0, asm.R0, int16(mi.off), asm.DWord))
	return nil
}

// genPathCall writes path(p) into size bytes at off.
func (g *gen) genPathCall(e *Call, off int16, size int) error {
	g.zero(off, size)
	if err := g.genBTFPtr(e.Args[0].(*Field)); err != nil {
		return err
	}
	g.emit(asm.Mov.Reg(asm.R1, asm.R0))
	g.stackPtr(asm.R2, off)
	g.emit(asm.Mov.Imm(asm.R3, int32(size)))
	g.call(asm.FnDPath)
	return nil
}
