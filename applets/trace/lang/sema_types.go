package lang

import (
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/probebox/probebox/core/probes"
)

var intBuiltins = map[string]bool{
	"pid": true, "tid": true, "uid": true, "gid": true, "nsecs": true, "elapsed": true, "cpu": true,
	"cgroup": true, "retval": true, "curtask": true, "cpid": true,
	"arg0": true, "arg1": true, "arg2": true, "arg3": true, "arg4": true, "arg5": true,
	// USDT probes have up to 12.
	"arg6": true, "arg7": true, "arg8": true, "arg9": true, "arg10": true, "arg11": true,
}

// roundStr gives a string buffer size that keeps the stack 8-aligned.
func roundStr(n int) int { return (n + 7) &^ 7 }

func (g *gen) typeOf(e Expr) (Type, error) {
	switch e := e.(type) {
	case *Int:
		return intType, nil
	case *Str:
		return strType(roundStr(len(e.V) + 1)), nil
	case *Ident:
		switch {
		case e.Name == "curtask":
			return g.curtaskType(), nil
		case intBuiltins[e.Name]:
			return intType, g.checkBuiltin(e)
		case e.Name == "comm":
			return strType(16), nil
		case e.Name == "username":
			return Type{Kind: KUser, Size: 8}, nil
		case e.Name == "kstack" || e.Name == "ustack":
			t := stackType(e.Name == "ustack", StackModeBpftrace, MaxStackDepth)
			g.useStacks(t)
			return t, nil
		case e.Name == "probe" || e.Name == "func":
			return strType(StrLen), nil
		case e.Name == "args":
			return Type{}, errAt(e, "args must be followed by a field: args->NAME")
		}
		if t, ok, err := g.moreBuiltinType(e); ok {
			return t, err
		}
		if _, ok := g.c.env.KernelEnum(e.Name); ok {
			return intType, nil
		}
		return Type{}, errAt(e, "unknown identifier %q", e.Name)
	case *Var:
		v, ok := g.vars[e.Name]
		if !ok {
			return Type{}, errAt(e, "undefined variable $%s", e.Name)
		}
		return v.typ, nil
	case *MapRef:
		m, ok := g.c.mapFor(e)
		if !ok && g.typing {
			// Still inferring: "@n = @n + 1" reads @n before it is known.
			return intType, nil
		}
		if !ok {
			return Type{}, errAt(e, "undefined map @%s", e.Name)
		}
		switch m.Agg {
		case AggStr, AggVal:
			return m.Value, nil
		case AggHist, AggLhist, AggStats:
			return Type{}, errAt(e, "the value of a %s() map cannot be read in an expression", m.Agg)
		case AggInt:
			if m.Value.Kind == KInt {
				return m.Value, nil // keeps a pointer's type
			}
		}
		return intType, nil
	case *Tuple:
		return g.tupleType(e)
	case *Index:
		return g.indexType(e)
	case *Field:
		if isTupleIndex(e) {
			t, _, err := g.tupleElem(e)
			return t, err
		}
		if !isArgs(e) {
			t, _, err := g.memberType(e)
			return t, err
		}
		f, err := g.field(e)
		if err != nil {
			return Type{}, err
		}
		return f.typ, nil
	case *Cast:
		return g.castType(e)
	case *Call:
		switch e.Name {
		case "str":
			return g.strCallType(e)
		case "path":
			return g.pathCallType(e)
		case "skboutput":
			return g.skbOutputType(e)
		case "buf":
			return g.bufCallType(e)
		case "kstack", "ustack":
			return g.stackCallType(e)
		case "printf", "exit", "delete", "clear", "zero", "print", "system", "cat", "signal":
			return noneType, nil
		case "unwatch":
			if len(e.Args) != 1 {
				return Type{}, errAt(e, "unwatch() takes the watched address")
			}
			if t, err := g.typeOf(e.Args[0]); err != nil || t.Kind != KInt {
				return Type{}, firstErr(err, errAt(e.Args[0], "unwatch() takes an address (an integer)"))
			}
			return noneType, nil
		}
		if t, ok, err := g.mapFuncType(e); ok {
			return t, err
		}
		if t, ok, err := g.moreFuncType(e); ok {
			return t, err
		}
		if t, ok, err := g.funcType(e); ok {
			return t, err
		}
		if _, ok := isAggCall(e); ok {
			return Type{}, errAt(e, "%s() can only be assigned to a map: @x = %s(...)", e.Name, e.Name)
		}
		return Type{}, errAt(e, "unknown function %s()", e.Name)
	case *Binary:
		lt, err := g.typeOf(e.L)
		if err != nil {
			return Type{}, err
		}
		rt, err := g.typeOf(e.R)
		if err != nil {
			return Type{}, err
		}
		if pt, _, _, ok, err := g.ptrArith(e, lt, rt); ok {
			return pt, err
		}
		if _, arith := aluOps[e.Op]; arith && isPtr(lt) && isPtr(rt) {
			// bpftrace refuses it too (C would count elements).
			return Type{}, errAt(e, "the %s operator cannot be used on two pointers (%s, %s)", e.Op, lt, rt)
		}
		if lt.Kind == KStr && rt.Kind == KStr {
			if e.Op != "==" && e.Op != "!=" {
				return Type{}, errAt(e, "type mismatch for '%s': strings can only be compared, with == and !=", e.Op)
			}
		} else if lt.Kind != KInt || rt.Kind != KInt {
			return Type{}, errAt(e, "type mismatch for '%s': %s and %s (it needs two integers%s)", e.Op, lt, rt, strHint(e.Op, lt, rt))
		}
		return intType, nil
	case *Unary:
		t, err := g.typeOf(e.X)
		if err != nil {
			return Type{}, err
		}
		if e.Op == "*" {
			dt, _, err := g.derefType(e, t)
			return dt, err
		}
		if t.Kind != KInt {
			return Type{}, errAt(e, "type mismatch for '%s': %s (it needs an integer)", e.Op, t)
		}
		return intType, nil
	case *Ternary:
		if _, err := g.typeOf(e.C); err != nil {
			return Type{}, err
		}
		tt, err := g.typeOf(e.T)
		if err != nil {
			return Type{}, err
		}
		ft, err := g.typeOf(e.F)
		if err != nil {
			return Type{}, err
		}
		if tt.Kind != ft.Kind {
			return Type{}, errAt(e, "type mismatch for '?:': the branches are %s and %s, they must have the same type", tt, ft)
		}
		if tt.Kind == KStr && ft.Size > tt.Size {
			tt = ft
		}
		return tt, nil
	}
	return Type{}, errAt(e, "unsupported expression")
}

// strHint completes a mismatch message when one side is a string.
func strHint(op string, l, r Type) string {
	if (l.Kind == KStr || r.Kind == KStr) && (op == "==" || op == "!=") {
		return ", or two strings"
	}
	return ""
}

func (g *gen) checkBuiltin(e *Ident) error {
	k := g.t.Kind
	switch {
	case e.Name == "cpid" && g.c.opts.CPID == 0:
		return errAt(e, "cpid cannot be used without a child command: run one with -c CMD")
	case e.Name == "retval" && k != "kretprobe" && k != "uretprobe" && k != "fexit":
		return errAt(e, "retval is only valid in kretprobe, uretprobe and fexit probes")
	case strings.HasPrefix(e.Name, "arg") && k != "kprobe" && k != "uprobe" && k != "rawtracepoint" && k != "fentry" && k != "fexit" && k != "usdt":
		return errAt(e, "%s is only valid in kprobe, uprobe, usdt, rawtracepoint and fentry probes (tracepoints use args->NAME)", e.Name)
	case strings.HasPrefix(e.Name, "arg") && len(e.Name) > 4 && k != "usdt":
		return errAt(e, "%s: only usdt probes have more than six arguments", e.Name)
	}
	return nil
}

// fieldInfo is where args->NAME lives.
type fieldInfo struct {
	typ     Type
	off     int
	size    int
	signed  bool
	dataLoc bool // __data_loc: a u32 offset/length into the record
	index   int  // fentry: argument index
}

// isArgs tells args->NAME (a probe's arguments) from a struct member.
func isArgs(e *Field) bool {
	base, ok := e.X.(*Ident)
	return ok && base.Name == "args"
}

func (g *gen) field(e *Field) (fieldInfo, error) {
	switch g.t.Kind {
	case "tracepoint":
		for _, f := range g.t.Fields {
			if f.Name != e.Name || f.Common {
				continue
			}
			switch {
			case strings.HasPrefix(f.Type, "__data_loc"):
				return fieldInfo{typ: strType(StrLen), off: f.Offset, size: 4, dataLoc: true}, nil
			case f.ArrayLen > 0 && strings.HasPrefix(f.Type, "char"):
				return fieldInfo{typ: strType(roundStr(f.ArrayLen)), off: f.Offset, size: f.ArrayLen}, nil
			case f.ArrayLen > 0 && f.Size == f.ArrayLen:
				return fieldInfo{typ: Type{Kind: KBytes, Size: f.ArrayLen}, off: f.Offset, size: f.Size}, nil
			case f.Size == 8 && f.ArrayLen == 0 && structPointer(f.Type) != "":
				// A struct pointer reads its members through BTF; those of
				// system calls point into the caller's memory.
				typ := intType
				if st, err := g.c.typeNamed(structPointer(f.Type)); err == nil {
					typ = Type{Kind: KInt, Size: 8, Ptr: st, User: g.t.Group == "syscalls"}
				}
				return fieldInfo{typ: typ, off: f.Offset, size: 8}, nil
			case f.Size == 8 && f.ArrayLen == 0 && g.tracepointPointee(f.Type) != nil:
				// Other pointers keep what they point to: args->argv[1].
				typ := Type{Kind: KInt, Size: 8, Ptr: g.tracepointPointee(f.Type), User: g.t.Group == "syscalls"}
				return fieldInfo{typ: typ, off: f.Offset, size: 8}, nil
			case f.Size == 1 || f.Size == 2 || f.Size == 4 || f.Size == 8:
				return fieldInfo{typ: Type{Kind: KInt, Size: 8, Bits: 8 * f.Size}, off: f.Offset, size: f.Size, signed: f.Signed}, nil
			}
			return fieldInfo{}, errAt(e, "field %s (%s) is not supported yet", f.Name, f.Type)
		}
		return fieldInfo{}, errAt(e, "tracepoint %s has no field %q; its fields are %s", g.t.Text, e.Name, fieldNames(g.t.Fields))
	case "fentry", "fexit", "kprobe", "kretprobe":
		for i, p := range g.t.Params {
			if p.Name == e.Name {
				return fieldInfo{typ: paramType(p.Type), index: i}, nil
			}
		}
		return fieldInfo{}, errAt(e, "%s has no argument %q; its arguments are %s", g.t.Name, e.Name, strings.Join(paramNames(g.t.Params), ", "))
	}
	return fieldInfo{}, errAt(e, "args->%s is only valid in tracepoint, fentry/fexit and kprobe probes", e.Name)
}

// paramType is a function argument's type: pointers keep what they point
// to, so that args->file->f_path reads through BTF.
func paramType(t btf.Type) Type {
	if p, ok := btf.UnderlyingType(t).(*btf.Pointer); ok {
		return Type{Kind: KInt, Size: 8, Ptr: p.Target}
	}
	return intType
}

// fieldNames lists a tracepoint's own fields, for error messages.
func fieldNames(fields []probes.Field) string {
	var names []string
	for _, f := range fields {
		if !f.Common {
			names = append(names, f.Name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// keyTypes types a map reference's keys.
func (g *gen) keyTypes(m *MapRef) ([]Type, error) {
	var keys []Type
	for _, k := range m.Keys {
		t, err := g.typeOf(k)
		if err != nil {
			return nil, err
		}
		if t.Kind == KNone || t.Kind == KBytes || t.Kind == KStruct {
			return nil, errAt(k, "this expression cannot be a map key")
		}
		if t.Kind == KTuple {
			// bpftrace refuses it too: its keys are already a tuple.
			return nil, errAt(k, "a tuple cannot be a map key: give the map several keys, @map[$a, $b]")
		}
		if t.Kind == KKstack || t.Kind == KUstack {
			t.Size = 8
		}
		keys = append(keys, t)
	}
	return keys, nil
}

// declareVars gives every $variable of a body its stack slot, typed by its
// first assignment.
func (g *gen) declareVars(body []Stmt) error {
	for _, s := range body {
		switch s := s.(type) {
		case *AssignVar:
			if v, ok := g.vars[s.Name]; ok {
				if v.typ.Kind == KTuple {
					// A later tuple with longer strings widens the slot.
					if t, err := g.typeOf(s.Value); err == nil && t.Kind == KTuple {
						if w := widenTuple(v.typ, t); w.Size != v.typ.Size {
							g.vars[s.Name] = varSlot{off: g.alloc(w.Size), typ: w}
						}
					}
				}
				continue
			}
			t, err := g.typeOf(s.Value)
			if err != nil {
				return err
			}
			switch t.Kind {
			case KNone:
				return errAt(s.Value, "this expression has no value to store in $%s", s.Name)
			case KStruct:
				return errAt(s.Value, "a whole %s cannot be stored in $%s: store a pointer to it, or the field you need", t, s.Name)
			case KBytes:
				if call, ok := s.Value.(*Call); !ok || call.Name != "pton" {
					return errAt(s.Value, "a %s field cannot be stored in $%s: pass it to ntop() directly", t, s.Name)
				}
			}
			g.vars[s.Name] = varSlot{off: g.alloc(t.Size), typ: t}
		case *For:
			if _, ok := g.vars[forKey(s)]; ok {
				break
			}
			m, ok := g.c.mapFor(s.Map)
			if !ok {
				break // still inferring, or undefined: forLoop says which
			}
			t, err := forVarType(s, m)
			if err != nil {
				return err
			}
			g.vars[forKey(s)] = varSlot{off: g.alloc(t.Size), typ: t}
		}
		for _, b := range bodies(s) {
			if err := g.declareVars(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// structPointer is "struct NAME" for a tracepoint field typed "struct
// NAME *" (or const struct NAME *), else "".
func structPointer(typ string) string {
	t := strings.TrimSpace(strings.TrimPrefix(typ, "const "))
	if !strings.HasPrefix(t, "struct ") || !strings.HasSuffix(t, "*") || strings.Count(t, "*") != 1 {
		return ""
	}
	return strings.TrimSpace(strings.TrimSuffix(t, "*"))
}
