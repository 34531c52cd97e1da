package unwind

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	bpfobj "github.com/probebox/probebox/bpfobj/unwind"
)

// SubprogFunc is the walker's entry as a subprogram (bpfobj/unwind):
// SubprogFunc(tgid, depth) returns a stack id in StackMap or a negative
// errno.
const SubprogFunc = "pb_unwind_ustack"

// rodataMap is the walker's settings (Consts) once linked into another
// program, which may have a .rodata of its own.
const rodataMap = "unwind_rodata"

// Subprogram is the walker for programs generated at run time (trace's
// ustack): SubprogFunc's instructions and those of what it calls, to be
// appended after a program's own code and called with asm.Call.Label,
// and the maps they name (storage: unwound_stacks' size). The copy keeps
// its BTF function information (the kernel wants it for bpf_loop's
// callback; the caller's first instruction then needs a function too:
// EntryFunc, and a line: asm.Comment) and its CO-RE relocations, not its
// line information (but for a comment at each function's start).
func Subprogram(storage int) (asm.Instructions, map[string]*ebpf.MapSpec, error) {
	s, err := bpfobj.LoadUnwind()
	if err != nil {
		return nil, nil, err
	}
	rodata := s.Maps[".rodata"]
	if rodata == nil || len(rodata.Contents) != 1 {
		return nil, nil, fmt.Errorf("internal: the walker's object has no .rodata")
	}
	data := append([]byte(nil), rodata.Contents[0].Value.([]byte)...)
	for name, v := range Consts(true) {
		// Into the data itself: the copied map is not the collection's
		// .rodata, which NewCollection would fill from Variables.
		vs := s.Variables[name]
		if vs == nil || vs.SectionName != ".rodata" {
			return nil, nil, fmt.Errorf("internal: walker setting %s is not in .rodata", name)
		}
		if err := vs.Set(v); err != nil {
			return nil, nil, fmt.Errorf("walker setting %s: %w", name, err)
		}
		copy(data[vs.Offset:], vs.Value)
	}
	rodata = rodata.Copy()
	rodata.Contents[0].Value = data
	s.Maps[".rodata"] = rodata
	SizeMaps(s, storage, true)
	prog := s.Programs["walk_entry"]
	if prog == nil {
		return nil, nil, fmt.Errorf("internal: no walk_entry in the walker's object")
	}
	start := -1
	for i, ins := range prog.Instructions {
		if ins.Symbol() == SubprogFunc {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, nil, fmt.Errorf("internal: no %s in the walker's object", SubprogFunc)
	}
	insns := make(asm.Instructions, 0, len(prog.Instructions)-start)
	names := map[string]bool{}
	for _, ins := range prog.Instructions[start:] {
		ins = ins.WithSource(nil)
		if fn := btf.FuncMetadata(&ins); fn != nil {
			// CO-RE gives the instructions reading the other
			// architecture's registers (pb_user_regs) a line, a
			// comment; the kernel then wants a line at every
			// function's start (the caller's first one too).
			ins = ins.WithSource(asm.Comment(fn.Name))
		}
		if ref := ins.Reference(); ref != "" {
			if ref == ".rodata" {
				ins = ins.WithReference(rodataMap)
				ref = rodataMap
			}
			names[ref] = true
		}
		insns = append(insns, ins)
	}
	maps := map[string]*ebpf.MapSpec{}
	for name := range names {
		from := name
		if name == rodataMap {
			from = ".rodata"
		}
		m, ok := s.Maps[from]
		if !ok {
			continue // a subprogram's symbol, not a map
		}
		m = m.Copy()
		m.Name = name
		maps[name] = m
	}
	return insns, maps, nil
}

// EntryFunc is the BTF function a program calling the walker gives its
// first instruction: int name(void *ctx).
func EntryFunc(name string) *btf.Func {
	ctx := btf.FuncParam{Name: "ctx", Type: &btf.Pointer{Target: &btf.Void{}}}
	ret := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	return &btf.Func{Name: name, Linkage: btf.GlobalFunc, Type: &btf.FuncProto{Return: ret, Params: []btf.FuncParam{ctx}}}
}
