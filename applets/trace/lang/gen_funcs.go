package lang

import (
	"fmt"

	"github.com/cilium/ebpf/asm"
)

// Address families, as ntop() takes them.
const (
	afInet  = 2
	afInet6 = 10
)

// InetSize is ntop()'s value: a u64 family, then 16 address bytes.
const InetSize = 24

// ptRegsNamed are the pt_regs offsets reg("NAME") reads, per architecture.
var ptRegsNamed = map[string]map[string]int16{
	"amd64": {
		"r15": 0, "r14": 8, "r13": 16, "r12": 24, "bp": 32, "bx": 40, "r11": 48, "r10": 56, "r9": 64, "r8": 72,
		"ax": 80, "cx": 88, "dx": 96, "si": 104, "di": 112, "orig_ax": 120, "ip": 128, "cs": 136, "flags": 144, "sp": 152, "ss": 160,
	},
	"arm64": {"sp": 248, "pc": 256, "pstate": 264},
}

func init() {
	// arm64's general registers, as bpftrace names them: r0..r30, the
	// first 31 words of user_pt_regs.
	for i := range 31 {
		ptRegsNamed["arm64"][fmt.Sprintf("r%d", i)] = int16(8 * i)
	}
}

// isValueKind: kinds printed with %s that are not strings: ksym, usym,
// inet, tuples...
func isValueKind(k Kind) bool { return IsValueKind(k) }

// IsValueKind reports whether values of kind k are printed by name or as
// text made in user space (ksym, usym, inet, stacks, tuples, username,
// strerror...), not as a number or a string.
func IsValueKind(k Kind) bool {
	switch k {
	case KKsym, KUsym, KInet, KTime, KKstack, KUstack, KMac, KBuf, KTuple, KUser, KErrno, KCgroupPath:
		return true
	}
	return false
}

// funcType types the value-returning functions of this file.
func (g *gen) funcType(e *Call) (Type, bool, error) {
	nargs := map[string]int{"ksym": 1, "usym": 1, "kaddr": 1, "uaddr": 1, "reg": 1, "ntop": -1}
	want, ok := nargs[e.Name]
	if !ok {
		return Type{}, false, nil
	}
	if want > 0 && len(e.Args) != want {
		return Type{}, true, errAt(e, "%s() takes %d argument(s), got %d", e.Name, want, len(e.Args))
	}
	switch e.Name {
	case "kaddr", "reg", "uaddr":
		if _, ok := e.Args[0].(*Str); !ok {
			return Type{}, true, errAt(e, "%s() takes a string literal", e.Name)
		}
		if e.Name == "uaddr" {
			_, t, err := g.uaddr(e)
			return t, true, err
		}
		if e.Name == "reg" {
			_, err := g.regOffset(e)
			return intType, true, err
		}
		_, err := g.kaddr(e)
		return intType, true, err
	case "ntop":
		if len(e.Args) != 1 && len(e.Args) != 2 {
			return Type{}, true, errAt(e, "ntop() takes ([family,] address)")
		}
		if len(e.Args) == 2 {
			if t, err := g.typeOf(e.Args[0]); err != nil || t.Kind != KInt {
				return Type{}, true, firstErr(err, errAt(e, "ntop()'s family must be an integer"))
			}
		}
		t, err := g.typeOf(e.Args[len(e.Args)-1])
		if err != nil {
			return Type{}, true, err
		}
		if n := g.memberBytes(e.Args[len(e.Args)-1]); n == 4 || n == 16 {
			return Type{Kind: KInet, Size: InetSize}, true, nil
		}
		if t.Kind != KInt && !(t.Kind == KBytes && (t.Size == 4 || t.Size == 16)) {
			return Type{}, true, errAt(e, "ntop() takes an integer or a uint8[4] or uint8[16] address, not %s", t)
		}
		return Type{Kind: KInet, Size: InetSize}, true, nil
	}
	t, err := g.typeOf(e.Args[0])
	if err != nil {
		return Type{}, true, err
	}
	if t.Kind != KInt {
		return Type{}, true, errAt(e, "%s() takes an address (an integer), not %s", e.Name, t)
	}
	if e.Name == "ksym" {
		return Type{Kind: KKsym, Size: 8}, true, nil
	}
	return Type{Kind: KUsym, Size: 16}, true, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) regOffset(e *Call) (int16, error) {
	switch g.t.Kind {
	case "kprobe", "kretprobe", "uprobe", "uretprobe":
	default:
		return 0, errAt(e, "reg() is only valid in kprobe and uprobe probes")
	}
	name := e.Args[0].(*Str).V
	arch := g.c.opts.Arch
	if _, ok := ptRegsNamed[arch]; !ok {
		arch = "amd64"
	}
	off, ok := ptRegsNamed[arch][name]
	if !ok {
		return 0, errAt(e, "reg(%q): no such register on %s", name, arch)
	}
	return off, nil
}

func (g *gen) kaddr(e *Call) (uint64, error) {
	a, err := g.c.env.KernelAddr(e.Args[0].(*Str).V)
	if err != nil {
		return 0, errAt(e, "%v", err)
	}
	return a, nil
}

// uaddr resolves uaddr("sym") in the uprobe's binary: its address, and a
// user pointer to a signed integer of the symbol's size (64 bits when
// the size is not 1, 2 or 4), as bpftrace types it.
func (g *gen) uaddr(e *Call) (uint64, Type, error) {
	if g.t.Kind != "uprobe" && g.t.Kind != "uretprobe" {
		return 0, Type{}, errAt(e, "uaddr() is only valid in uprobe and uretprobe probes")
	}
	name := e.Args[0].(*Str).V
	addr, size, err := g.c.env.UserSymbol(g.t.Binary, name)
	if err != nil {
		return 0, Type{}, errAt(e, "uaddr(%q): %v", name, err)
	}
	it := map[uint64]string{1: "int8", 2: "int16", 4: "int32"}[size]
	if it == "" {
		it = "int64"
	}
	return addr, Type{Kind: KInt, Size: 8, Ptr: intPointee(it), User: true}, nil
}

// callInt leaves the value of ksym(), kaddr() or reg() in R0.
func (g *gen) callInt(e *Call) error {
	if ok, err := g.moreCallInt(e); ok {
		return err
	}
	if ok, err := g.genMapFunc(e); ok {
		return err
	}
	switch e.Name {
	case "kstack", "ustack":
		t, err := g.stackCallType(e)
		if err == nil {
			g.stackID(t)
		}
		return err
	case "ksym":
		return g.genInt(e.Args[0])
	case "kaddr":
		a, err := g.kaddr(e)
		g.emit(asm.LoadImm(asm.R0, int64(a), asm.DWord))
		return err
	case "uaddr":
		a, _, err := g.uaddr(e)
		g.emit(asm.LoadImm(asm.R0, int64(a), asm.DWord))
		return err
	case "reg":
		off, err := g.regOffset(e)
		g.emit(asm.LoadMem(asm.R0, asm.R6, off, asm.DWord))
		return err
	}
	return errAt(e, "%s() is not an integer", e.Name)
}

// genValue writes the value of e, of type t, into t.Size bytes at off.
func (g *gen) genValue(e Expr, t Type, off int16) error {
	if t.Kind == KStr {
		return g.genStr(e, off, t.Size)
	}
	switch x := e.(type) {
	case *Tuple:
		return g.genTuple(x, t, off)
	case *Field:
		if isTupleIndex(x) && t.Kind != KInt {
			return g.copyTupleElem(x, off, t.Size)
		}
	case *Var:
		if t.Size > 8 {
			g.copyStack(off, g.vars[x.Name].off, t.Size)
			return nil
		}
	case *MapRef:
		if t.Kind != KInt {
			return g.mapCopy(x, off, t.Size)
		}
	case *Ternary:
		if t.Kind != KInt {
			f, end := g.newLabel(), g.newLabel()
			if err := g.cond(x.C, f); err != nil {
				return err
			}
			if err := g.genValue(x.T, t, off); err != nil {
				return err
			}
			g.emit(asm.Ja.Label(end))
			g.mark(f)
			if err := g.genValue(x.F, t, off); err != nil {
				return err
			}
			g.mark(end)
			return nil
		}
	}
	switch t.Kind {
	case KBytes:
		if call, ok := e.(*Call); ok && call.Name == "pton" {
			return g.genPton(call, off, t.Size)
		}
		if v, ok := e.(*Var); ok {
			g.copyStack(off, g.vars[v.Name].off, roundStr(t.Size))
			return nil
		}
		return errAt(e, "a %s value cannot be computed here", t)
	case KBuf:
		call, ok := e.(*Call)
		if !ok || call.Name != "buf" {
			return errAt(e, "a %s value cannot be computed here", t)
		}
		return g.genBuf(call, off, t)
	case KMac:
		call, ok := e.(*Call)
		if !ok {
			return errAt(e, "a %s value cannot be computed here", t)
		}
		return g.genMacaddr(call, off)
	case KUsym, KInet:
		call, ok := e.(*Call)
		if !ok {
			return errAt(e, "a %s value cannot be computed here", t)
		}
		if t.Kind == KInet {
			return g.genNtop(call, off)
		}
		if err := g.genInt(call.Args[0]); err != nil {
			return err
		}
		g.emit(asm.StoreMem(asm.R10, off, asm.R0, asm.DWord))
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.RSh.Imm(asm.R0, 32), asm.StoreMem(asm.R10, off+8, asm.R0, asm.DWord))
		return nil
	}
	if err := g.genInt(e); err != nil {
		return err
	}
	g.emit(asm.StoreMem(asm.R10, off, asm.R0, asm.DWord))
	return nil
}

// mapCopy copies size bytes of @m[keys]'s value to off; zeros when the
// element is missing.
func (g *gen) mapCopy(e *MapRef, off int16, size int) error {
	return g.mapCopyAt(e, off, size, 0, size)
}

// mapCopyAt writes n bytes of e's value, from byte from on, into size
// bytes at off (zeros where the map has no such element).
func (g *gen) mapCopyAt(e *MapRef, off int16, size, from, n int) error {
	m, ok := g.c.mapFor(e)
	if !ok {
		return errAt(e, "undefined map @%s", e.Name)
	}
	mark := g.used
	key, err := g.buildKey(m, e)
	if err != nil {
		return err
	}
	g.release(mark)
	g.zero(off, size)
	none := g.newLabel()
	g.mapPtr(asm.R1, mapName(m))
	g.stackPtr(asm.R2, key)
	g.call(asm.FnMapLookupElem)
	g.emit(asm.JEq.Imm(asm.R0, 0, none))
	for i := 0; i < min(n, size, m.ValueSize()-from); i += 8 {
		g.emit(asm.LoadMem(asm.R1, asm.R0, int16(from+i), asm.DWord), asm.StoreMem(asm.R10, off+int16(i), asm.R1, asm.DWord))
	}
	g.mark(none)
	g.emit(asm.Mov.Reg(asm.R0, asm.R0))
	return nil
}

// genNtop writes {family, address} at off.
func (g *gen) genNtop(e *Call, off int16) error {
	g.zero(off, InetSize)
	addr := e.Args[len(e.Args)-1]
	at, _ := g.typeOf(addr)
	if n := g.memberBytes(addr); n == 4 || n == 16 {
		// A u8[4] or u8[16] struct member (in6_u.u6_addr8): its bytes.
		if _, _, err := g.memberAddr(addr.(*Field)); err != nil {
			return err
		}
		g.emit(asm.Mov.Reg(asm.R3, asm.R0))
		g.stackPtr(asm.R1, off+8)
		g.emit(asm.Mov.Imm(asm.R2, int32(n)))
		g.call(asm.FnProbeReadKernel)
		at = Type{Kind: KBytes, Size: n}
	} else if at.Kind == KBytes && !isField(addr) {
		// pton()'s address, or a variable holding one.
		if err := g.genValue(addr, at, off+8); err != nil {
			return err
		}
	} else if at.Kind == KBytes {
		fe, ok := addr.(*Field)
		if !ok {
			return errAt(addr, "ntop() takes a %s field itself, not an expression of it", at)
		}
		f, err := g.field(fe)
		if err != nil {
			return err
		}
		g.stackPtr(asm.R1, off+8)
		g.emit(asm.Mov.Imm(asm.R2, int32(at.Size)), asm.Mov.Reg(asm.R3, asm.R6), asm.Add.Imm(asm.R3, int32(f.off)))
		g.call(asm.FnProbeReadKernel)
	} else {
		if err := g.genInt(addr); err != nil {
			return err
		}
		g.emit(asm.StoreMem(asm.R10, off+8, asm.R0, asm.DWord))
	}
	if len(e.Args) == 2 {
		if err := g.genInt(e.Args[0]); err != nil {
			return err
		}
		g.emit(asm.StoreMem(asm.R10, off, asm.R0, asm.DWord))
		return nil
	}
	af := int32(afInet)
	if at.Kind == KBytes && at.Size == 16 {
		af = afInet6
	}
	g.emit(storeImm(asm.R10, off, af))
	return nil
}

func isField(e Expr) bool { _, ok := e.(*Field); return ok }

// memberBytes is the length of a struct member that is an array of
// bytes (u8 addr[16]), else 0.
func (g *gen) memberBytes(e Expr) int {
	f, ok := e.(*Field)
	if !ok || isArgs(f) {
		return 0
	}
	t, mi, err := g.memberType(f)
	if err != nil || t.Kind != KStr {
		return 0
	}
	return mi.size
}
