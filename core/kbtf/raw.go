package kbtf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/cilium/ebpf/btf"
)

// Raw is the running kernel's BTF as the file holds it: indexed, not
// decoded. A script that reads curtask->real_parent->pid needs three
// structs, but decoding task_struct with cilium/ebpf builds every type it
// reaches through pointers, most of the kernel's (10-20 ms before the
// first probe loads). Raw builds one struct at a time instead: its
// members and the types stored inside it, with each named struct or
// union reached through a pointer left as a btf.Fwd of that name, which
// the caller looks up again if it goes through that pointer.
type Raw struct {
	types []byte   // the type section
	strs  []byte   // the string section
	offs  []uint32 // offs[id]: where type id starts in types; id 0 is void

	mu     sync.Mutex
	byName map[string]btf.TypeID // lookups already made, "struct NAME"
	enums  map[string]enumAnswer // Enum's answers
}

// ErrNoType: the kernel's BTF has no struct or union of that name.
var ErrNoType = errors.New("not in the kernel's BTF")

var (
	rawMu    sync.Mutex
	rawCache *Raw
)

// LoadRaw reads and indexes /sys/kernel/btf/vmlinux once (until Release).
func LoadRaw() (*Raw, error) {
	rawMu.Lock()
	defer rawMu.Unlock()
	if rawCache != nil {
		return rawCache, nil
	}
	file, err := os.ReadFile(sysfsPath)
	if err != nil {
		return nil, err
	}
	r, err := ParseRaw(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sysfsPath, err)
	}
	rawCache = r
	return r, nil
}

func releaseRaw() {
	rawMu.Lock()
	rawCache = nil
	rawMu.Unlock()
}

// BTF kinds beyond those enums.go steps over (uapi linux/btf.h).
const (
	kindPtr      = 2
	kindFwd      = 7
	kindTypedef  = 8
	kindVolatile = 9
	kindConst    = 10
	kindRestrict = 11
	kindFunc     = 12
	kindFloat    = 16
	kindTypeTag  = 18
)

// sections splits a BTF file into its type and string sections.
func sections(raw []byte) (types, strs []byte, err error) {
	ne := binary.NativeEndian
	if len(raw) < 24 || ne.Uint16(raw) != 0xeb9f {
		return nil, nil, errors.New("not BTF in this machine's byte order")
	}
	hdrLen := ne.Uint32(raw[4:])
	typeOff, typeLen := ne.Uint32(raw[8:]), ne.Uint32(raw[12:])
	strOff, strLen := ne.Uint32(raw[16:]), ne.Uint32(raw[20:])
	end := func(off, n uint32) uint64 { return uint64(hdrLen) + uint64(off) + uint64(n) }
	if end(typeOff, typeLen) > uint64(len(raw)) || end(strOff, strLen) > uint64(len(raw)) {
		return nil, nil, errors.New("BTF sections beyond the file")
	}
	return raw[hdrLen+typeOff : hdrLen+typeOff+typeLen], raw[hdrLen+strOff : hdrLen+strOff+strLen], nil
}

// trailing is how many bytes follow a type's 12-byte header.
func trailing(kind uint32, vlen int) int {
	switch kind {
	case kindInt, kindVar, kindDeclTag:
		return 4
	case kindArray:
		return 12
	case kindStruct, kindUnion, kindDatasec, kindEnum64:
		return 12 * vlen
	case kindEnum, kindFuncProto:
		return 8 * vlen
	}
	return 0
}

// ParseRaw indexes a BTF file's types (base BTF only: type ids from 1).
func ParseRaw(raw []byte) (*Raw, error) {
	types, strs, err := sections(raw)
	if err != nil {
		return nil, err
	}
	ne := binary.NativeEndian
	r := &Raw{types: types, strs: strs, offs: make([]uint32, 1, len(types)/24), byName: map[string]btf.TypeID{}}
	for off := 0; off+12 <= len(types); {
		info := ne.Uint32(types[off+4:])
		next := off + 12 + trailing(info>>24&0x1f, int(info&0xffff))
		if next > len(types) {
			return nil, errors.New("BTF type data cut short")
		}
		r.offs = append(r.offs, uint32(off))
		off = next
	}
	return r, nil
}

// name reads a string without copying it (callers copy what they keep).
func (r *Raw) name(off uint32) []byte {
	if off >= uint32(len(r.strs)) {
		return nil
	}
	s := r.strs[off:]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// header is a type's name offset, kind, vlen, kind_flag and size/type.
func (r *Raw) header(id btf.TypeID) (nameOff, kind uint32, vlen int, flag bool, sizeType uint32, body []byte) {
	ne := binary.NativeEndian
	t := r.types[r.offs[id]:]
	info := ne.Uint32(t[4:])
	kind, vlen = info>>24&0x1f, int(info&0xffff)
	return ne.Uint32(t), kind, vlen, info>>31 == 1, ne.Uint32(t[8:]), t[12 : 12+trailing(kind, vlen)]
}

// Composite builds "struct NAME" or "union NAME" (the first of the name
// with a body), or says it is not in the kernel's BTF.
func (r *Raw) Composite(name string) (btf.Type, error) {
	var want uint32
	var bare string
	switch {
	case len(name) > 7 && name[:7] == "struct ":
		want, bare = kindStruct, name[7:]
	case len(name) > 6 && name[:6] == "union ":
		want, bare = kindUnion, name[6:]
	default:
		return nil, fmt.Errorf("%q is neither a struct nor a union", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.byName[name]
	if !ok {
		for i := 1; i < len(r.offs); i++ {
			nameOff, kind, _, _, _, _ := r.header(btf.TypeID(i))
			if kind == want && string(r.name(nameOff)) == bare {
				id = btf.TypeID(i)
				break
			}
		}
		r.byName[name] = id
	}
	if id == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoType)
	}
	b := builder{r: r, done: map[btf.TypeID]btf.Type{}}
	return b.build(id, false, 0)
}

// SpecComposite finds "struct NAME" or "union NAME" in a decoded spec:
// what Raw.Composite answers from the raw file, for BTF that is not the
// running kernel's sysfs file.
func SpecComposite(spec *btf.Spec, name string) (btf.Type, error) {
	kind, bare, _ := strings.Cut(name, " ")
	var t btf.Type
	var err error
	if kind == "union" {
		var u *btf.Union
		err = spec.TypeByName(bare, &u)
		t = u
	} else {
		var st *btf.Struct
		err = spec.TypeByName(bare, &st)
		t = st
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, ErrNoType)
	}
	return t, nil
}

// builder makes one Composite call's types; done shares a type the
// struct stores in several places (int, a nested struct).
type builder struct {
	r    *Raw
	done map[btf.TypeID]btf.Type
}

// maxDepth bounds nesting a BTF file could make circular (a struct
// that contains itself): kernels nest structs a few levels deep.
const maxDepth = 64

// build makes type id. behindPtr: the type is reached through a pointer,
// so a named struct or union is left as a forward declaration.
func (b *builder) build(id btf.TypeID, behindPtr bool, depth int) (btf.Type, error) {
	if id == 0 {
		return &btf.Void{}, nil
	}
	if int(id) >= len(b.r.offs) {
		return nil, fmt.Errorf("BTF type id %d out of range", id)
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("BTF type %d nests more than %d deep", id, maxDepth)
	}
	if t, ok := b.done[id]; ok && !behindPtr {
		return t, nil
	}
	nameOff, kind, vlen, flag, sizeType, body := b.r.header(id)
	name := string(b.r.name(nameOff))
	ne := binary.NativeEndian
	sub := func(target uint32, ptr bool) (btf.Type, error) {
		return b.build(btf.TypeID(target), ptr, depth+1)
	}
	var t btf.Type
	switch kind {
	case kindInt:
		v := ne.Uint32(body)
		t = &btf.Int{Name: name, Size: sizeType, Encoding: btf.IntEncoding(v >> 24 & 0xf)}
	case kindPtr:
		target, err := sub(sizeType, true)
		if err != nil {
			return nil, err
		}
		t = &btf.Pointer{Target: target}
	case kindArray:
		elem, err := sub(ne.Uint32(body), behindPtr)
		if err != nil {
			return nil, err
		}
		index, err := sub(ne.Uint32(body[4:]), false)
		if err != nil {
			return nil, err
		}
		t = &btf.Array{Type: elem, Index: index, Nelems: ne.Uint32(body[8:])}
	case kindStruct, kindUnion:
		if behindPtr && name != "" {
			fk := btf.FwdStruct
			if kind == kindUnion {
				fk = btf.FwdUnion
			}
			return &btf.Fwd{Name: name, Kind: fk}, nil
		}
		members := make([]btf.Member, vlen)
		for i := range members {
			m := body[12*i:]
			mt, err := sub(ne.Uint32(m[4:]), false)
			if err != nil {
				return nil, err
			}
			off := ne.Uint32(m[8:])
			members[i] = btf.Member{Name: string(b.r.name(ne.Uint32(m))), Type: mt, Offset: btf.Bits(off)}
			if flag {
				members[i].Offset, members[i].BitfieldSize = btf.Bits(off&0xffffff), btf.Bits(off>>24)
			}
		}
		if kind == kindStruct {
			t = &btf.Struct{Name: name, Size: sizeType, Members: members}
		} else {
			t = &btf.Union{Name: name, Size: sizeType, Members: members}
		}
	case kindEnum, kindEnum64:
		e := &btf.Enum{Name: name, Size: sizeType, Signed: flag, Values: make([]btf.EnumValue, vlen)}
		for i := range e.Values {
			if kind == kindEnum {
				v := uint64(ne.Uint32(body[8*i+4:]))
				if flag {
					v = uint64(int64(int32(v)))
				}
				e.Values[i] = btf.EnumValue{Name: string(b.r.name(ne.Uint32(body[8*i:]))), Value: v}
				continue
			}
			v := body[12*i:]
			e.Values[i] = btf.EnumValue{Name: string(b.r.name(ne.Uint32(v))), Value: uint64(ne.Uint32(v[4:])) | uint64(ne.Uint32(v[8:]))<<32}
		}
		t = e
	case kindFwd:
		fk := btf.FwdStruct
		if flag {
			fk = btf.FwdUnion
		}
		t = &btf.Fwd{Name: name, Kind: fk}
	case kindTypedef, kindVolatile, kindConst, kindRestrict, kindTypeTag:
		target, err := sub(sizeType, behindPtr)
		if err != nil {
			return nil, err
		}
		switch kind {
		case kindTypedef:
			t = &btf.Typedef{Name: name, Type: target}
		case kindVolatile:
			t = &btf.Volatile{Type: target}
		case kindConst:
			t = &btf.Const{Type: target}
		case kindRestrict:
			t = &btf.Restrict{Type: target}
		default:
			t = &btf.TypeTag{Type: target, Value: name}
		}
	case kindFuncProto:
		ret, err := sub(sizeType, true)
		if err != nil {
			return nil, err
		}
		fp := &btf.FuncProto{Return: ret, Params: make([]btf.FuncParam, vlen)}
		for i := range fp.Params {
			pt, err := sub(ne.Uint32(body[8*i+4:]), true)
			if err != nil {
				return nil, err
			}
			fp.Params[i] = btf.FuncParam{Name: string(b.r.name(ne.Uint32(body[8*i:]))), Type: pt}
		}
		t = fp
	case kindFloat:
		t = &btf.Float{Name: name, Size: sizeType}
	default:
		// Func, Var, Datasec, DeclTag: not the type of a member.
		return nil, fmt.Errorf("BTF type %d (kind %d) cannot be a member's type", id, kind)
	}
	if !behindPtr {
		b.done[id] = t
	}
	return t, nil
}
