package lang

import (
	"fmt"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// mapFuncType types has_key(@m, key) and len(@m).
func (g *gen) mapFuncType(e *Call) (Type, bool, error) {
	switch e.Name {
	case "has_key":
		if len(e.Args) != 2 {
			return Type{}, true, errAt(e, "has_key() takes a map and a key: has_key(@m, key), or has_key(@m, (k1, k2)) for several keys")
		}
		ref, err := g.keyedRef(e, e.Args[0], keyExprs(e.Args[1]))
		if err != nil {
			return Type{}, true, err
		}
		m, ok := g.c.mapFor(ref)
		if !ok {
			if g.typing {
				return intType, true, nil
			}
			return Type{}, true, errAt(ref, "undefined map @%s", ref.Name)
		}
		if len(m.Keys) != len(ref.Keys) {
			return Type{}, true, errAt(e.Args[1], "%s has %d key(s), has_key() gives %d", m.Display(), len(m.Keys), len(ref.Keys))
		}
		return intType, true, nil
	case "len":
		if len(e.Args) != 1 {
			return Type{}, true, errAt(e, "len() takes one map: len(@m)")
		}
		ref, err := g.keyedRef(e, e.Args[0], nil)
		if err != nil {
			return Type{}, true, err
		}
		m, ok := g.c.mapFor(ref)
		switch {
		case !ok && !g.typing:
			return Type{}, true, errAt(ref, "undefined map @%s", ref.Name)
		case ok && len(m.Keys) == 0:
			return Type{}, true, errAt(ref, "len() counts the keys of a map that has keys; %s has none", m.Display())
		}
		return intType, true, nil
	}
	return Type{}, false, nil
}

// keyExprs is a key argument's parts: a tuple's elements, else itself.
func keyExprs(x Expr) []Expr {
	if t, ok := x.(*Tuple); ok {
		return t.Elems
	}
	return []Expr{x}
}

// keyedRef is @m (named whole as the first argument) with keys.
func (g *gen) keyedRef(call *Call, x Expr, keys []Expr) (*MapRef, error) {
	mr, ok := x.(*MapRef)
	if !ok || len(mr.Keys) > 0 {
		return nil, errAt(x, "%s() takes a whole map as its first argument: @name", call.Name)
	}
	return &MapRef{P: mr.P, E: mr.E, Name: mr.Name, Keys: keys}, nil
}

// genMapFunc leaves has_key()'s or len()'s result in R0.
func (g *gen) genMapFunc(e *Call) (bool, error) {
	switch e.Name {
	case "has_key":
		ref, err := g.keyedRef(e, e.Args[0], keyExprs(e.Args[1]))
		if err != nil {
			return true, err
		}
		m, _ := g.c.mapFor(ref)
		mark := g.used
		key, err := g.buildKey(m, ref)
		if err != nil {
			return true, err
		}
		g.mapPtr(asm.R1, mapName(m))
		g.stackPtr(asm.R2, key)
		g.call(asm.FnMapLookupElem)
		g.release(mark)
		g.boolFromJump(asm.JNE.Imm(asm.R0, 0, ""))
		return true, nil
	case "len":
		ref, err := g.keyedRef(e, e.Args[0], nil)
		if err != nil {
			return true, err
		}
		m, _ := g.c.mapFor(ref)
		// bpf_for_each_map_elem counts the elements it visits; the
		// callback only says "go on".
		cb, err := g.callback(func(cb *gen) error {
			cb.emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
			return nil
		})
		if err != nil {
			return true, err
		}
		g.mapPtr(asm.R1, mapName(m))
		g.funcPtr(asm.R2, cb)
		g.emit(asm.Mov.Imm(asm.R3, 0), asm.Mov.Imm(asm.R4, 0))
		g.call(asm.FnForEachMapElem)
		return true, nil
	}
	return false, nil
}

// callback adds a static subprogram that bpf_for_each_map_elem calls
// with (map, key, value, ctx) and returns its name. It has a stack of
// its own and labels of its own.
func (g *gen) callback(body func(cb *gen) error) (string, error) {
	name := fmt.Sprintf("cb%d", len(g.subprogs))
	cb := &gen{c: g.c, t: g.t, vars: map[string]varSlot{}, typing: g.typing}
	cb.prefix = name + "_"
	cb.mark(name)
	if err := body(cb); err != nil {
		return "", err
	}
	if cb.err != nil && g.err == nil {
		g.err = cb.err
	}
	if len(cb.insns) > 0 {
		cb.insns[0] = btf.WithFuncMetadata(cb.insns[0], callbackFunc(name)).WithSource(asm.Comment(name))
	}
	g.subprogs = append(g.subprogs, cb.insns)
	return name, nil
}

// funcPtr loads a subprogram's address (BPF_PSEUDO_FUNC) into reg.
func (g *gen) funcPtr(reg asm.Register, name string) {
	// Constant -1: a reference the linker resolves to the symbol.
	ins := asm.LoadImm(reg, -1, asm.DWord)
	ins.Src = asm.PseudoFunc
	g.emit(ins.WithReference(name))
}

// callbackFunc is a callback's BTF: the kernel takes a callback only
// from a program with BTF for every function, and only a static one.
func callbackFunc(name string) *btf.Func {
	ptr := &btf.Pointer{Target: &btf.Void{}}
	params := []btf.FuncParam{{Name: "map", Type: ptr}, {Name: "key", Type: ptr}, {Name: "value", Type: ptr}, {Name: "ctx", Type: ptr}}
	ret := &btf.Int{Name: "long", Size: 8, Encoding: btf.Signed}
	return &btf.Func{Name: name, Linkage: btf.StaticFunc, Type: &btf.FuncProto{Return: ret, Params: params}}
}

// entryFunc is a program's own BTF, given when it has callbacks.
func entryFunc(name string) *btf.Func {
	ctx := btf.FuncParam{Name: "ctx", Type: &btf.Pointer{Target: &btf.Void{}}}
	ret := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	return &btf.Func{Name: name, Linkage: btf.GlobalFunc, Type: &btf.FuncProto{Return: ret, Params: []btf.FuncParam{ctx}}}
}
