package lang

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/asm"
)

// ptRegsArg gives the pt_regs offsets of the first six function arguments
// and of the return value, per architecture.
var ptRegsArg = map[string][7]int16{
	// x86_64: di, si, dx, cx, r8, r9; ax
	"amd64": {112, 104, 96, 88, 72, 64, 80},
	// arm64: regs[0..5]; regs[0]
	"arm64": {0, 8, 16, 24, 32, 40, 0},
}

func (g *gen) call(fn asm.BuiltinFunc) { g.emit(fn.Call()) }

// cond jumps to falseLabel when e is zero.
func (g *gen) cond(e Expr, falseLabel string) error {
	t, err := g.typeOf(e)
	if err != nil {
		return err
	}
	if t.Kind != KInt {
		return errAt(e, "a condition must be an integer or a comparison")
	}
	if err := g.genInt(e); err != nil {
		return err
	}
	g.emit(asm.JEq.Imm(asm.R0, 0, falseLabel))
	return nil
}

// genInt leaves the value of an integer expression in R0.
func (g *gen) genInt(e Expr) error {
	switch e := e.(type) {
	case *Int:
		g.emit(asm.LoadImm(asm.R0, e.V, asm.DWord))
	case *Ident:
		return g.builtinInt(e)
	case *Var:
		g.emit(asm.LoadMem(asm.R0, asm.R10, g.vars[e.Name].off, asm.DWord))
	case *MapRef:
		m, _ := g.c.mapFor(e)
		mark := g.used
		key, err := g.buildKey(m, e)
		if err != nil {
			return err
		}
		if m.Agg == AggCount || m.Agg == AggSum {
			// Per-CPU: the sum over every CPU, as bpftrace reads it
			// (0.21+), not the count of the CPU the probe runs on.
			g.sumPerCPU(m, func() { g.stackPtr(asm.R2, key) })
			g.release(mark)
			return nil
		}
		g.release(mark)
		none, end := g.newLabel(), g.newLabel()
		g.mapPtr(asm.R1, mapName(m))
		g.stackPtr(asm.R2, key)
		g.call(asm.FnMapLookupElem)
		g.emit(asm.JEq.Imm(asm.R0, 0, none), asm.LoadMem(asm.R0, asm.R0, 0, asm.DWord), asm.Ja.Label(end))
		g.mark(none)
		g.emit(asm.Mov.Imm(asm.R0, 0))
		g.mark(end)
	case *Cast:
		return g.genCast(e)
	case *Index:
		return g.genIndex(e)
	case *Call:
		return g.callInt(e)
	case *Field:
		if isTupleIndex(e) {
			return g.genTupleInt(e)
		}
		if !isArgs(e) {
			return g.memberInt(e)
		}
		f, err := g.field(e)
		if err != nil {
			return err
		}
		switch g.t.Kind {
		case "fentry", "fexit":
			g.emit(asm.LoadMem(asm.R0, asm.R6, int16(8*f.index), asm.DWord))
			return nil
		case "kprobe", "kretprobe":
			if f.index > 5 {
				return errAt(e, "only the first six arguments are in registers")
			}
			g.emit(asm.LoadMem(asm.R0, asm.R6, g.regs()[f.index], asm.DWord))
			return nil
		}
		g.emit(asm.LoadMem(asm.R0, asm.R6, int16(f.off), sizeOf(f.size)))
		if f.signed && f.size < 8 {
			shift := int32(64 - 8*f.size)
			g.emit(asm.LSh.Imm(asm.R0, shift), asm.ArSh.Imm(asm.R0, shift))
		}
	case *Binary:
		return g.binary(e)
	case *Unary:
		if e.Op == "*" {
			return g.genDeref(e)
		}
		if err := g.genInt(e.X); err != nil {
			return err
		}
		switch e.Op {
		case "-":
			g.emit(asm.Neg.Imm(asm.R0, 0))
		case "~":
			g.emit(asm.Xor.Imm(asm.R0, -1))
		case "!":
			g.boolFromJump(asm.JEq.Imm(asm.R0, 0, ""))
		}
	case *Ternary:
		f, end := g.newLabel(), g.newLabel()
		if err := g.cond(e.C, f); err != nil {
			return err
		}
		if err := g.genInt(e.T); err != nil {
			return err
		}
		g.emit(asm.Ja.Label(end))
		g.mark(f)
		if err := g.genInt(e.F); err != nil {
			return err
		}
		g.mark(end)
	default:
		return errAt(e, "not an integer expression")
	}
	return nil
}

func sizeOf(n int) asm.Size {
	switch n {
	case 1:
		return asm.Byte
	case 2:
		return asm.Half
	case 4:
		return asm.Word
	}
	return asm.DWord
}

// boolFromJump sets R0 to 1 when the jump (whose label is filled in here)
// is taken, else 0.
func (g *gen) boolFromJump(j asm.Instruction) {
	yes, end := g.newLabel(), g.newLabel()
	g.emit(j.WithReference(yes), asm.Mov.Imm(asm.R0, 0), asm.Ja.Label(end))
	g.mark(yes)
	g.emit(asm.Mov.Imm(asm.R0, 1))
	g.mark(end)
}

func (g *gen) builtinInt(e *Ident) error {
	if ok, err := g.moreBuiltinInt(e); ok {
		return err
	}
	switch e.Name {
	case "pid":
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.RSh.Imm(asm.R0, 32))
	case "tid":
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.Mov.Reg32(asm.R0, asm.R0))
	case "uid", "username":
		g.call(asm.FnGetCurrentUidGid)
		g.emit(asm.Mov.Reg32(asm.R0, asm.R0))
	case "gid":
		g.call(asm.FnGetCurrentUidGid)
		g.emit(asm.RSh.Imm(asm.R0, 32))
	case "nsecs":
		g.call(asm.FnKtimeGetNs)
	case "elapsed":
		g.call(asm.FnKtimeGetNs)
		g.emit(asm.LoadImm(asm.R1, int64(g.c.opts.StartNs), asm.DWord), asm.Sub.Reg(asm.R0, asm.R1))
	case "cpu":
		g.call(asm.FnGetSmpProcessorId)
	case "cgroup":
		g.call(asm.FnGetCurrentCgroupId)
	case "curtask":
		g.call(asm.FnGetCurrentTask)
	case "cpid":
		g.emit(asm.Mov.Imm(asm.R0, int32(g.c.opts.CPID)))
	case "kstack", "ustack":
		g.stackID(stackType(e.Name == "ustack", StackModeBpftrace, MaxStackDepth))
	case "retval":
		switch g.t.Kind {
		case "fexit":
			g.emit(asm.LoadMem(asm.R0, asm.R6, int16(8*len(g.t.Params)), asm.DWord))
		default:
			g.emit(asm.LoadMem(asm.R0, asm.R6, g.regs()[6], asm.DWord))
		}
	default:
		// Builtins (argN here) before the kernel's enumerators: the first
		// enum lookup reads all of the kernel's BTF.
		if v, ok := enumValue(g.c.env, e.Name); ok {
			g.emit(asm.LoadImm(asm.R0, v, asm.DWord))
			return nil
		}
		if g.t.Kind == "usdt" && strings.HasPrefix(e.Name, "arg") {
			n, err := strconv.Atoi(e.Name[3:])
			if err != nil {
				return errAt(e, "%s is not an integer", e.Name)
			}
			return g.usdtArg(e, n)
		}
		if len(e.Name) != 4 || !strings.HasPrefix(e.Name, "arg") || e.Name[3] < '0' || e.Name[3] > '5' {
			return errAt(e, "%s is not an integer", e.Name)
		}
		n := int(e.Name[3] - '0')
		switch g.t.Kind {
		case "kprobe", "uprobe":
			g.emit(asm.LoadMem(asm.R0, asm.R6, g.regs()[n], asm.DWord))
		default:
			g.emit(asm.LoadMem(asm.R0, asm.R6, int16(8*n), asm.DWord))
		}
	}
	return nil
}

func (g *gen) regs() [7]int16 {
	if r, ok := ptRegsArg[g.c.opts.Arch]; ok {
		return r
	}
	return ptRegsArg["amd64"]
}

var jumpOps = map[string]asm.JumpOp{
	"==": asm.JEq, "!=": asm.JNE, "<": asm.JSLT, "<=": asm.JSLE, ">": asm.JSGT, ">=": asm.JSGE,
}

var aluOps = map[string]asm.ALUOp{
	"+": asm.Add, "-": asm.Sub, "*": asm.Mul, "/": asm.Div, "%": asm.Mod,
	"&": asm.And, "|": asm.Or, "^": asm.Xor, "<<": asm.LSh, ">>": asm.RSh,
}

func (g *gen) binary(e *Binary) error {
	switch e.Op {
	case "&&", "||":
		short, end := g.newLabel(), g.newLabel()
		jump := asm.JEq // && stops at the first false
		if e.Op == "||" {
			jump = asm.JNE
		}
		for _, side := range []Expr{e.L, e.R} {
			if err := g.genInt(side); err != nil {
				return err
			}
			g.emit(jump.Imm(asm.R0, 0, short))
		}
		result := map[string]int32{"&&": 1, "||": 0}[e.Op]
		g.emit(asm.Mov.Imm(asm.R0, result), asm.Ja.Label(end))
		g.mark(short)
		g.emit(asm.Mov.Imm(asm.R0, 1-result))
		g.mark(end)
		return nil
	}
	lt, _ := g.typeOf(e.L)
	if lt.Kind == KStr {
		return g.strCompare(e)
	}
	mark := g.used
	defer g.release(mark)
	if err := g.genInt(e.L); err != nil {
		return err
	}
	slot := g.alloc(8)
	g.emit(asm.StoreMem(asm.R10, slot, asm.R0, asm.DWord))
	if err := g.genInt(e.R); err != nil {
		return err
	}
	g.emit(asm.LoadMem(asm.R1, asm.R10, slot, asm.DWord))
	rt, _ := g.typeOf(e.R)
	if _, sl, sr, ok, err := g.ptrArith(e, lt, rt); ok {
		// Pointer arithmetic counts elements: the integer side scaled.
		if err != nil {
			return err
		}
		if sl != 1 {
			g.emit(asm.Mul.Imm(asm.R1, int32(sl)))
		}
		if sr != 1 {
			g.emit(asm.Mul.Imm(asm.R0, int32(sr)))
		}
	}
	if op, ok := jumpOps[e.Op]; ok {
		g.boolFromJump(op.Reg(asm.R1, asm.R0, ""))
		return nil
	}
	op, ok := aluOps[e.Op]
	if !ok {
		return errAt(e, "unknown operator %s", e.Op)
	}
	g.emit(op.Reg(asm.R1, asm.R0), asm.Mov.Reg(asm.R0, asm.R1))
	return nil
}

// strCompare compares two strings for == or !=; against a literal only the
// literal's bytes and its NUL are compared.
func (g *gen) strCompare(e *Binary) error {
	mark := g.used
	defer g.release(mark)
	l, r := e.L, e.R
	if _, ok := l.(*Str); ok {
		l, r = r, l
	}
	lt, _ := g.typeOf(l)
	buf := g.alloc(lt.Size)
	if err := g.genStr(l, buf, lt.Size); err != nil {
		return err
	}
	differ, end := g.newLabel(), g.newLabel()
	if lit, ok := r.(*Str); ok {
		b := append([]byte(lit.V), 0)
		if len(b) > lt.Size {
			// Longer than the buffer can hold: never equal.
			g.emit(asm.Ja.Label(differ))
		} else {
			for i, c := range b {
				g.emit(asm.LoadMem(asm.R1, asm.R10, buf+int16(i), asm.Byte), asm.JNE.Imm(asm.R1, int32(c), differ))
			}
		}
	} else {
		rt, _ := g.typeOf(r)
		rbuf := g.alloc(rt.Size)
		if err := g.genStr(r, rbuf, rt.Size); err != nil {
			return err
		}
		for i := 0; i < min(lt.Size, rt.Size); i += 8 {
			g.emit(asm.LoadMem(asm.R1, asm.R10, buf+int16(i), asm.DWord), asm.LoadMem(asm.R2, asm.R10, rbuf+int16(i), asm.DWord),
				asm.JNE.Reg(asm.R1, asm.R2, differ))
		}
	}
	same := int32(1)
	if e.Op == "!=" {
		same = 0
	}
	g.emit(asm.Mov.Imm(asm.R0, same), asm.Ja.Label(end))
	g.mark(differ)
	g.emit(asm.Mov.Imm(asm.R0, 1-same))
	g.mark(end)
	return nil
}

// genStr writes a string expression, NUL-padded, into size bytes at off.
func (g *gen) genStr(e Expr, off int16, size int) error {
	switch e := e.(type) {
	case *Str:
		g.storeLiteral(e.V, off, size)
	case *Ident:
		switch e.Name {
		case "comm":
			// Zeros first: bpf_get_current_comm pads with zeros only
			// since 6.x; before, the bytes after the NUL were left as
			// they were, and a comm map key held stack garbage (the same
			// comm counted under many keys, seen on Debian's 6.1).
			g.zero(off, size)
			g.stackPtr(asm.R1, off)
			g.emit(asm.Mov.Imm(asm.R2, int32(min(size, 16))))
			g.call(asm.FnGetCurrentComm)
		case "probe":
			g.storeLiteral(g.t.Text, off, size)
		case "func":
			g.storeLiteral(g.t.Name, off, size)
		}
	case *Var:
		v := g.vars[e.Name]
		g.zero(off, size)
		g.copyStack(off, v.off, min(size, v.typ.Size))
	case *MapRef:
		return g.mapCopy(e, off, size)
	case *Field:
		if isTupleIndex(e) {
			return g.copyTupleElem(e, off, size)
		}
		if !isArgs(e) {
			return g.memberStr(e, off, size)
		}
		f, err := g.field(e)
		if err != nil {
			return err
		}
		g.zero(off, size)
		if f.dataLoc {
			// __data_loc: low 16 bits offset into the record, high 16 length.
			g.emit(asm.LoadMem(asm.R3, asm.R6, int16(f.off), asm.Word), asm.And.Imm(asm.R3, 0xffff), asm.Add.Reg(asm.R3, asm.R6))
			g.stackPtr(asm.R1, off)
			g.emit(asm.Mov.Imm(asm.R2, int32(size)))
			g.call(asm.FnProbeReadKernelStr)
			return nil
		}
		g.stackPtr(asm.R1, off)
		g.emit(asm.Mov.Imm(asm.R2, int32(min(size, f.size))), asm.Mov.Reg(asm.R3, asm.R6), asm.Add.Imm(asm.R3, int32(f.off)))
		g.call(asm.FnProbeReadKernel)
	case *Call:
		return g.genStrCall(e, off, size)
	case *Ternary:
		f, end := g.newLabel(), g.newLabel()
		if err := g.cond(e.C, f); err != nil {
			return err
		}
		if err := g.genStr(e.T, off, size); err != nil {
			return err
		}
		g.emit(asm.Ja.Label(end))
		g.mark(f)
		if err := g.genStr(e.F, off, size); err != nil {
			return err
		}
		g.mark(end)
	default:
		return errAt(e, "not a string expression")
	}
	return nil
}

// storeLiteral writes s, NUL-padded (and cut to size-1 bytes), at off.
func (g *gen) storeLiteral(s string, off int16, size int) {
	b := make([]byte, size)
	copy(b[:size-1], s)
	for i := 0; i < size; i += 8 {
		w := binary.NativeEndian.Uint64(b[i:])
		g.emit(asm.LoadImm(asm.R1, int64(w), asm.DWord), asm.StoreMem(asm.R10, off+int16(i), asm.R1, asm.DWord))
	}
}

// buildKey writes a map key on the stack and returns its offset.
func (g *gen) buildKey(m *MapInfo, ref *MapRef) (int16, error) {
	keys := ref.Keys
	if len(keys) != len(m.Keys) {
		return 0, errAt(ref, "%s has %d key(s) elsewhere, %d here", m.Display(), len(m.Keys), len(keys))
	}
	size := m.KeySize()
	off := g.alloc(size)
	// Every key part below fills its whole slot (a histogram's slot is
	// stored by the caller), so only a key-less map's constant key and a
	// short string's tail need zeros.
	if len(keys) == 0 && m.Agg != AggHist && m.Agg != AggLhist {
		g.zero(off, size)
	}
	pos := int16(0)
	for i, k := range keys {
		kt := m.Keys[i]
		if kt.Kind != KStr {
			own, err := g.typeOf(k)
			if err != nil {
				return 0, err
			}
			if own.Kind != kt.Kind {
				return 0, errAt(k, "map @%s takes a %s key here, not %s", m.Name, kt, own)
			}
			if err := g.genValue(k, kt, off+pos); err != nil {
				return 0, err
			}
		} else {
			own, err := g.typeOf(k)
			if err != nil {
				return 0, err
			}
			if own.Kind != KStr {
				return 0, errAt(k, "map @%s takes a string key here", m.Name)
			}
			if own.Size == kt.Size {
				if err := g.genStr(k, off+pos, kt.Size); err != nil {
					return 0, err
				}
				pos += int16(kt.Size)
				continue
			}
			if own.Size < kt.Size {
				g.zero(off+pos+int16(own.Size), kt.Size-own.Size)
			}
			tmp := g.alloc(own.Size)
			if err := g.genStr(k, tmp, own.Size); err != nil {
				return 0, err
			}
			g.copyStack(off+pos, tmp, min(own.Size, kt.Size))
		}
		pos += int16(kt.Size)
	}
	return off, nil
}

// stackID leaves a stack id in R0: bpf_get_stackid into the stacks map;
// user stacks carry the pid in the upper half, for symbolization.
func (g *gen) stackID(t Type) {
	user := t.Kind == KUstack
	flags := int32(0)
	if user {
		flags = 1 << 8 // BPF_F_USER_STACK
	}
	if w := g.c.ustackWalker(); user && w != nil {
		// Walker.Func(tgid, depth); R6..R9 survive the call as they do
		// a helper's.
		g.call(asm.FnGetCurrentPidTgid)
		g.emit(asm.RSh.Imm(asm.R0, 32), asm.Mov.Reg(asm.R1, asm.R0), asm.Mov.Imm(asm.R2, int32(StackDepth(t))), asm.Call.Label(w.Func))
		g.walked = g.walked || !g.typing
	} else {
		g.emit(asm.Mov.Reg(asm.R1, asm.R6))
		g.mapPtr(asm.R2, StackMapName(t))
		g.emit(asm.Mov.Imm(asm.R3, flags))
		g.call(asm.FnGetStackid)
	}
	if !user {
		return
	}
	mark := g.used
	defer g.release(mark)
	slot := g.alloc(8)
	g.emit(asm.Mov.Reg32(asm.R0, asm.R0), asm.StoreMem(asm.R10, slot, asm.R0, asm.DWord))
	g.call(asm.FnGetCurrentPidTgid)
	g.emit(asm.RSh.Imm(asm.R0, 32), asm.LSh.Imm(asm.R0, 32), asm.LoadMem(asm.R1, asm.R10, slot, asm.DWord), asm.Or.Reg(asm.R0, asm.R1))
}

// enumValue is a kernel enumerator named like an identifier that is not
// a builtin.
func enumValue(env Env, name string) (int64, bool) {
	if intBuiltins[name] {
		return 0, false
	}
	return env.KernelEnum(name)
}
